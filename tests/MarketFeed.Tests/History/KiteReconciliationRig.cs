using System.Globalization;
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
/// The Kite emulator and a Kite feed over loopback, with the hub and the reconciler, all on one manual clock starting
/// at 10:00 IST, six equities subscribed at 1m. Closes and revisions the subscriber receives are collected.
/// </summary>
internal sealed class KiteReconciliationRig : IAsyncDisposable
{
    public const double HistoricalPerSecond = 4;

    private KiteReconciliationRig(KiteEmulator emulator, KiteFeed feed, MarketFeedHost host, ManualTimeProvider clock, string[] symbols, MarketSubscription subscription)
    {
        Emulator = emulator;
        Feed = feed;
        Host = host;
        Clock = clock;
        Symbols = symbols;
        Subscription = subscription;
        subscription.OnCandle(c =>
        {
            if (c.IsClose)
            {
                lock (Closes)
                {
                    Closes.Add((c.Instrument, c.Candle));
                }
            }
        });
        subscription.OnCandleRevised(r =>
        {
            lock (Revisions)
            {
                Revisions.Add(r);
            }
        });
    }

    public static DateTime Open { get; } = TestInstruments.Ist(10, 0);

    public KiteEmulator Emulator { get; }

    public KiteFeed Feed { get; }

    public MarketFeedHost Host { get; }

    public ManualTimeProvider Clock { get; }

    public string[] Symbols { get; }

    public MarketSubscription Subscription { get; }

    public Reconciler Reconciler => Host.Reconciliation!;

    public List<(InstrumentId Id, Candle Bar)> Closes { get; } = [];

    public List<CandleRevision> Revisions { get; } = [];

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public static async Task<KiteReconciliationRig> StartAsync(ReconciliationOptions options, string? faults = null)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(Open, TimeSpan.Zero));
        KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions
        {
            TicksPerInstrumentPerSecond = 1, HeartbeatInterval = TimeSpan.FromMilliseconds(200), Faults = faults, Time = clock,
        });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kite-rec-").FullName,
            ["Kite:HistoricalRequestsPerSecond"] = HistoricalPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Kite:Stream:IdleTimeout"] = "01:00:00",
            ["Kite:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Kite:Stream:ReconnectMaxDelay"] = "00:00:00.500",
            ["Kite:Stream:FailoverAfter"] = "01:00:00",
        }).Build();
        var feed = new KiteFeed(configuration, clock);
        var hubOptions = new HubOptions { Partitions = 2, Candles = new CandleOptions { Intervals = ["1m"], HistoryBars = 0 } };
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], hubOptions, clock);
        host.StartReconciliation(options);
        string[] symbols = [.. emulator.Instruments.Where(i => i.Instrument.Kind == InstrumentKind.Equity).Select(i => i.Instrument.Symbol).Order().Take(6)];
        MarketSubscription subscription = host.Subscribe(symbols, new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
        var rig = new KiteReconciliationRig(emulator, feed, host, clock, symbols, subscription);
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected && symbols.All(s => host.TryGetLatest(s, out _)));
        return rig;
    }

    /// <summary>
    /// Moves the clock to <paramref name="until"/>: a second a step (the emulator's tick of that second waited for when
    /// <paramref name="ticks"/>), 100 ms a step inside the <paramref name="fine"/> windows (so the rate gate's slots show).
    /// </summary>
    public async Task DriveAsync(DateTime until, bool ticks = true, params (DateTime From, DateTime To)[] fine)
    {
        while (Now < until)
        {
            bool small = fine.Any(w => Now >= w.From && Now < w.To);
            Clock.Advance(small ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1));
            DateTime after = Now;
            if (ticks)
            {
                await SimulatedHost.WaitUntil(() => Symbols.All(s => Host.TryGetLatest(s, out Tick t) && t.ReceiveTime > after.AddSeconds(-1)));
            }

            await Task.Delay(small ? 50 : 2);
        }
    }

    /// <summary>Advances the clock 100 ms a step (no ticks waited for) until <paramref name="condition"/> holds: history requests wait on the rate gate's clock.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, int maxSteps = 600)
    {
        for (int i = 0; i < maxSteps && !condition(); i++)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not met within the steps allowed");
    }

    /// <summary>The venue's 1m bars of every subscribed symbol that end by <paramref name="endUtc"/> (through the feed, advancing the clock for its rate gate).</summary>
    public async Task<Dictionary<(InstrumentId, DateTime), Candle>> VenueBarsAsync(DateTime endUtc, int count)
    {
        var bars = new Dictionary<(InstrumentId, DateTime), Candle>();
        foreach (string symbol in Symbols)
        {
            Instrument instrument = Host.Resolve(symbol);
            Task<IReadOnlyList<Candle>> fetch = Feed.GetHistoryAsync(instrument, CandleInterval.OneMinute, endUtc, count, CancellationToken.None);
            while (!fetch.IsCompleted)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(5);
            }

            foreach (Candle bar in await fetch)
            {
                bars[(instrument.Id, bar.Start)] = bar;
            }
        }

        return bars;
    }

    public (InstrumentId Id, Candle Bar)[] ClosesSnapshot()
    {
        lock (Closes)
        {
            return [.. Closes];
        }
    }

    public CandleRevision[] RevisionsSnapshot()
    {
        lock (Revisions)
        {
            return [.. Revisions];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Subscription.DisposeAsync();
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
