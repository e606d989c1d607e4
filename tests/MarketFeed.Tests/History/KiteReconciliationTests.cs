using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;
using MarketFeed.Venues.Kite;
using MarketFeed.Venues.Kite.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.History;

/// <summary>
/// Reconciliation against the Kite emulator over loopback (its ticker stream and its historical candles endpoint),
/// emulator, feed, hub and reconciler on one manual clock at 10:00 IST, so minutes of trading play out in seconds.
/// </summary>
public class KiteReconciliationTests
{
    private const double HistoricalPerSecond = 4;

    [Fact]
    public async Task Kite_bars_that_differ_from_its_historical_candles_are_revised_one_request_per_series_within_its_rate_limit()
    {
        DateTime open = TestInstruments.Ist(10, 0);
        var clock = new ManualTimeProvider(new DateTimeOffset(open, TimeSpan.Zero));
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions
        {
            TicksPerInstrumentPerSecond = 1, HeartbeatInterval = TimeSpan.FromMilliseconds(200), Faults = "revise=2", Time = clock,
        });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kite-rec-").FullName,
            ["Kite:HistoricalRequestsPerSecond"] = HistoricalPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kite:Stream:IdleTimeout"] = "01:00:00",
        }).Build();
        var feed = new KiteFeed(configuration, clock);
        var hubOptions = new HubOptions { Partitions = 2, Candles = new CandleOptions { Intervals = ["1m"], HistoryBars = 0 } };
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], hubOptions, clock);
        Reconciler reconciler = host.StartReconciliation(new ReconciliationOptions
        {
            FirstCheckAfter = TimeSpan.FromSeconds(5), OfficialAfter = TimeSpan.FromSeconds(65), MaxConcurrentRequests = 3,
        });
        string[] symbols = [.. emulator.Instruments.Where(i => i.Instrument.Kind == InstrumentKind.Equity).Select(i => i.Instrument.Symbol).Order().Take(6)];
        await using MarketSubscription sub = host.Subscribe(symbols, new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
        var closes = new List<(InstrumentId Id, Candle Bar)>();
        var revisions = new List<CandleRevision>();
        sub.OnCandle(c => { if (c.IsClose) { lock (closes) { closes.Add((c.Instrument, c.Candle)); } } });
        sub.OnCandleRevised(r => { lock (revisions) { revisions.Add(r); } });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected && symbols.All(s => host.TryGetLatest(s, out _)));

        // 10:00 closes at 10:01; its first check (10:01:05) is one request per series; at 10:02:05 the official check
        // of 10:00 and the first of 10:01 are due together: again one request per series, covering both bars.
        DateTime[] due = [open.AddSeconds(65), open.AddSeconds(125)];
        while (clock.GetUtcNow().UtcDateTime < open.AddSeconds(128))
        {
            DateTime now = clock.GetUtcNow().UtcDateTime;
            bool checking = due.Any(d => now >= d.AddMilliseconds(-100) && now < d.AddSeconds(3));
            clock.Advance(checking ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1));
            DateTime after = clock.GetUtcNow().UtcDateTime;
            await SimulatedHost.WaitUntil(() => symbols.All(s => host.TryGetLatest(s, out Tick t) && t.ReceiveTime > after.AddSeconds(-1)));
            await Task.Delay(checking ? 20 : 2);
        }

        await SimulatedHost.WaitUntil(() => reconciler.Status().Checked >= 18);
        ReconciliationStatus status = reconciler.Status();
        Assert.Equal((18L, 0L, 0L, 12L), (status.Checked, status.Failed, status.Unmatched, status.Requests));
        IReadOnlyList<DateTime> requests = emulator.HistoricalRequests;
        Assert.Equal(12, requests.Count);

        // Through Kite's rate gate: six requests due at once are spread over at least five gate intervals (less a step for a late first one).
        TimeSpan gap = TimeSpan.FromSeconds(1 / HistoricalPerSecond);
        foreach (IGrouping<bool, DateTime> batch in requests.GroupBy(r => r < due[1]))
        {
            Assert.Equal(6, batch.Count());
            Assert.True(batch.Max() - batch.Min() >= gap * 5 - TimeSpan.FromMilliseconds(300), $"{batch.Count()} requests within {batch.Max() - batch.Min()}");
        }

        // Every revision is the venue's bar for a live bar that differed; bars equal to the venue's were left alone.
        var expected = new List<(InstrumentId, DateTime)>();
        (InstrumentId Id, Candle Bar)[] live;
        lock (closes)
        {
            live = [.. closes.Where(c => c.Bar.Start < open.AddMinutes(2))];
        }

        Assert.Equal(12, live.Length);
        var venueBars = new Dictionary<(InstrumentId, DateTime), Candle>();
        foreach (string symbol in symbols)
        {
            Instrument instrument = host.Resolve(symbol);
            Task<IReadOnlyList<Candle>> fetch = feed.GetHistoryAsync(instrument, CandleInterval.OneMinute, open.AddMinutes(2), 2, CancellationToken.None);
            while (!fetch.IsCompleted)
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(5);
            }

            foreach (Candle bar in await fetch)
            {
                venueBars[(instrument.Id, bar.Start)] = bar;
            }
        }

        foreach ((InstrumentId id, Candle bar) in live)
        {
            if (!OfficialCandleCheck.SameValues(bar, venueBars[(id, bar.Start)]))
            {
                expected.Add((id, bar.Start));
            }
        }

        Assert.Contains(expected, e => e.Item2 == open); // revise=2: every 10:00 bar (an even minute) is one tick higher at the venue
        await SimulatedHost.WaitUntil(() => { lock (revisions) { return revisions.Count >= expected.Count; } });
        lock (revisions)
        {
            Assert.Equal(expected.Order(), revisions.Select(r => (r.Instrument, r.New.Start)).Order());
            Assert.All(revisions, r =>
            {
                Assert.Equal(live.Single(l => l.Id == r.Instrument && l.Bar.Start == r.New.Start).Bar, r.Old);
                Assert.True(OfficialCandleCheck.SameValues(venueBars[(r.Instrument, r.New.Start)], r.New), $"{r.New} is the venue's bar");
                Assert.True((r.New.Flags & CandleFlags.Revised) != 0);
            });
        }

        Assert.Equal(expected.Count, reconciler.Status().Revised);
    }
}
