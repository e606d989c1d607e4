using System.Text.Json;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>
/// A venue sending one 256 MiB frame: it is drained without being kept, counted, and the connection stays up. The
/// proof that it was not kept is the process's allocation over the frame, which counts every thread's allocations:
/// these scenarios therefore run alone (<see cref="AllocationMeasuredCollection"/>), never beside other tests whose
/// allocations would land in the same figure.
/// </summary>
[Collection(AllocationMeasuredCollection.Name)]
public sealed class OversizedFrameTests
{
    public static TheoryData<string> Venues => ["kite", "dhan", "upstox", "binance", "kraken", "coinbase", "finnhub"];

    [Theory]
    [MemberData(nameof(Venues))]
    public async Task An_oversized_frame_is_drained_without_being_kept_counted_and_the_connection_stays_up(string venueName)
    {
        VenueChaosTests chaos = venueName switch
        {
            "kite" => new KiteChaosTests(),
            "dhan" => new DhanChaosTests(),
            "upstox" => new UpstoxChaosTests(),
            "binance" => new BinanceChaosTests(),
            "kraken" => new KrakenChaosTests(),
            "coinbase" => new CoinbaseChaosTests(),
            _ => new FinnhubChaosTests(),
        };
        await using ChaosVenue venue = await chaos.OpenAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First);
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 2);

        long reconnects = venue.Feed.Health.Reconnects;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        venue.Faults.OversizedFrameBytes = 256L * 1024 * 1024;
        await ChaosVenue.WaitUntil(() => venue.Feed.Health.OversizedFrames >= 1, 30_000);
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;

        // Kept whole, 256 MiB would have taken a 256 MiB buffer plus the doublings before it.
        Assert.True(allocated < 160L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB allocated while a 256 MiB frame passed");
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 3);
        Assert.Equal(reconnects, venue.Feed.Health.Reconnects);
        JsonElement feed = await venue.FeedStatusAsync();
        Assert.Equal("connected", feed.GetProperty("state").GetString());
        Assert.Equal(1, feed.GetProperty("oversizedFrames").GetInt64());
        Assert.Equal(1, await venue.MetricAsync($"marketfeed_feed_frames_rejected_total{{feed=\"{venue.Feed.Name}\",reason=\"oversized\"}}"));
    }
}
