using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Taps;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>The store's firehose carries candle closes only: ticks skip it, so it costs the tick path no copy.</summary>
public sealed class CandlesOnlyFirehoseTests
{
    [Fact]
    public async Task A_candles_only_firehose_gets_every_close_and_no_tick()
    {
        (MarketFeedHost host, var feed, var clock) = await SimulatedHost.StartAsync();
        await using (host)
        {
            await using Firehose closesOnly = host.Hub.AttachFirehose(new FirehoseOptions { CandlesOnly = true });
            await using Firehose everything = host.Hub.AttachFirehose();
            await using MarketSubscription sub = host.Subscribe(["NSE:INFY"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
            for (int step = 0; step < 9; step++)
            {
                await feed.EmitAsync(10);
                clock.Advance(TimeSpan.FromSeconds(20));
                await host.Hub.FlushAsync();
            }

            var kinds = new List<FirehoseEventKind>();
            while (closesOnly.TryRead(out FirehoseEvent item))
            {
                kinds.Add(item.Kind);
            }

            var all = new List<FirehoseEventKind>();
            while (everything.TryRead(out FirehoseEvent item))
            {
                all.Add(item.Kind);
            }

            Assert.Contains(FirehoseEventKind.Tick, all);
            Assert.True(kinds.Count >= 2, $"{kinds.Count} closes");
            Assert.All(kinds, k => Assert.Equal(FirehoseEventKind.CandleClosed, k));
            Assert.Equal(all.Count(k => k == FirehoseEventKind.CandleClosed), kinds.Count);
            Assert.Equal(0, closesOnly.Dropped);
        }
    }
}
