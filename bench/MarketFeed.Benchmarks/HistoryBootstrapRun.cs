using System.Diagnostics;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Taps;
using MarketFeed.Venues;
using MarketFeed.Venues.Binance.Emulator;
using MarketFeed.Venues.Kite.Emulator;
using MarketFeed.Venues.Upstox.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Benchmarks;

/// <summary>
/// `history-bootstrap [runs] [instruments] [kite|upstox|binance]`: time from a gateway's start to every one of N instruments
/// holding 500 bars of history (3-minute bars on Kite and Upstox, 1-minute on Binance), against the venue's emulator on loopback,
/// with the REST calls it took, on an empty SQLite store and again restarted on that store — beside a baseline measured in the same run: the same bars fetched by plain sequential
/// history calls of the same REST client, one instrument after another, at the venue's rate limit. Reports the
/// median and min–max of each over the runs.
/// </summary>
internal static class HistoryBootstrapRun
{
    private const int Bars = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        string venue = args.Length > 2 ? args[2] : "kite";
        var bootstrap = new List<(double Seconds, long Calls, long Bars)>();
        var restart = new List<(double Seconds, long Calls, long Bars)>();
        var baseline = new List<(double Seconds, long Calls, long Bars)>();
        for (int run = 1; run <= runs; run++)
        {
            await using Venue emulated = await Venue.StartAsync(venue);
            DirectoryInfo data = Directory.CreateTempSubdirectory("mf-bench-store-");
            string store = Path.Combine(data.FullName, "candles.db");
            bootstrap.Add(await BootstrapAsync(emulated, count, store));
            restart.Add(await BootstrapAsync(emulated, count, store));
            baseline.Add(await SequentialAsync(emulated, count));
            data.Delete(recursive: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: bootstrap {bootstrap[^1].Seconds:F2} s, {bootstrap[^1].Calls} REST calls, {bootstrap[^1].Bars} bars; restart on the store {restart[^1].Seconds:F2} s, {restart[^1].Calls} REST calls; sequential {baseline[^1].Seconds:F2} s, {baseline[^1].Calls} REST calls, {baseline[^1].Bars} bars"));
        }

        Console.WriteLine($"{venue}, {count} instruments × {Bars} bars of {emulatedInterval(venue).Label}, {runs} runs:");
        Report("gateway start → all series loaded (empty SQLite store)", bootstrap);
        Report("restart on that store → all series loaded", restart);
        Report("baseline: sequential history calls", baseline);
        double[] ratios = [.. bootstrap.Zip(baseline, (b, s) => b.Seconds / s.Seconds).Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio bootstrap / baseline: median {Median(ratios):F2} (min {ratios[0]:F2}, max {ratios[^1]:F2})"));
        return 0;

        static CandleInterval emulatedInterval(string venue) => Venue.IntervalOf(venue);
    }

    /// <summary>A gateway started on the venue and the SQLite store with N instruments subscribed; done when every series has loaded.</summary>
    private static async Task<(double, long, long)> BootstrapAsync(Venue venue, int count, string store)
    {
        var calls = new HistoryCallCounter();
        CandleInterval interval = venue.Interval;
        var clock = Stopwatch.StartNew();
        IFeed feed = venue.CreateFeed();
        var hub = new HubOptions { Candles = new CandleOptions { Intervals = [interval.Label], HistoryDays = venue.HistoryDays, HistoryCapacity = Bars } };
        await using MarketFeedHost host = await MarketFeedHost.CreateAsync([feed], hub, rawFrames: calls);
        host.UseCandleStore(new SqliteCandleStore(store));
        host.StartFeeds();
        Instrument[] instruments = venue.Pick(host.Instruments, count);
        await using MarketSubscription subscription = host.Subscribe(instruments.Select(i => i.Symbol), new SubscriberOptions { Ticks = false, CandleIntervals = [interval] });
        while (!instruments.All(i => host.Hub.CandleLoads(i.Id).Any(l => l.Interval == interval && l.State is SeriesLoadState.Loaded or SeriesLoadState.Failed)))
        {
            await Task.Delay(10);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        int skipped = instruments.Sum(i => host.Hub.CandleLoads(i.Id).Sum(l => l.Skipped));
        if (skipped > 0)
        {
            Console.WriteLine($"  normalization skipped {skipped} bars of the venue's answers (quality: {host.Hub.Quality().HistoryBarsRebucketed} re-bucketed)");
        }

        long bars = 0;
        foreach (Instrument instrument in instruments)
        {
            bars += (await host.Hub.GetCandlesAsync(instrument.Id, interval, Bars)).Closed.Count;
        }

        return (seconds, calls.Calls, bars);
    }

    /// <summary>The same bars, one instrument after another, through the same REST client (its rate gate included).</summary>
    private static async Task<(double, long, long)> SequentialAsync(Venue venue, int count)
    {
        var calls = new HistoryCallCounter();
        var registry = new InstrumentRegistry();
        IFeed feed = venue.CreateFeed();
        await using IFeed owned = feed;
        if (feed is IRecordableFeed recordable)
        {
            recordable.AttachRawTap(calls);
        }

        await feed.LoadInstrumentsAsync(registry, CancellationToken.None);
        Instrument[] instruments = venue.Pick(registry, count);
        var source = (IHistoricalCandleSource)feed;
        DateTime end = CandleHistoryWindow.LastTradedBy(instruments[0].Calendar, DateTime.UtcNow);
        long bars = 0;
        var clock = Stopwatch.StartNew();
        foreach (Instrument instrument in instruments)
        {
            bars += (await source.GetHistoryAsync(instrument, venue.Interval, end, Bars, CancellationToken.None)).Count;
        }

        return (clock.Elapsed.TotalSeconds, calls.Calls, bars);
    }

    private static void Report(string name, List<(double Seconds, long Calls, long Bars)> runs)
    {
        double[] seconds = [.. runs.Select(r => r.Seconds).Order()];
        long[] calls = [.. runs.Select(r => r.Calls).Order()];
        long[] bars = [.. runs.Select(r => r.Bars).Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: median {Median(seconds):F2} s (min {seconds[0]:F2}, max {seconds[^1]:F2}); REST calls {calls[calls.Length / 2]} (min {calls[0]}, max {calls[^1]}); bars {bars[bars.Length / 2]}"));
    }

    private static double Median(double[] sorted) => sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>Counts the venue's successful history answers (candle endpoints) a feed read.</summary>
    private sealed class HistoryCallCounter : IRawFrameTap
    {
        private long _calls;

        public long Calls => Interlocked.Read(ref _calls);

        public void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc)
        {
        }

        public void OnRestResponse(string feed, string request, ReadOnlySpan<byte> body, DateTime atUtc)
        {
            if (request.Contains("/historical/", StringComparison.Ordinal) || request.Contains("/historical-candle/", StringComparison.Ordinal)
                || request.Contains("/klines", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _calls);
            }
        }
    }

    /// <summary>One venue emulator on loopback and how to point its feed at it.</summary>
    private sealed class Venue : IAsyncDisposable
    {
        private readonly IAsyncDisposable _emulator;
        private readonly Dictionary<string, string?> _settings;

        private Venue(string name, IAsyncDisposable emulator, Dictionary<string, string?> settings)
        {
            Name = name;
            _emulator = emulator;
            _settings = settings;
        }

        public string Name { get; }

        public CandleInterval Interval => IntervalOf(Name);

        /// <summary>Sessions holding 500 bars: four NSE sessions of 125 three-minute bars; one crypto day of 1-minute bars (1,440, capped at 500).</summary>
        public int HistoryDays => Name == "binance" ? 1 : 4;

        public static CandleInterval IntervalOf(string venue) => CandleInterval.Parse(venue == "binance" ? "1m" : "3m");

        public static async Task<Venue> StartAsync(string name)
        {
            string cache = Directory.CreateTempSubdirectory("mf-bench-history-").FullName;
            switch (name)
            {
                case "kite":
                    KiteEmulator kite = await KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 0.2 });
                    return new Venue(name, kite, new()
                    {
                        ["Kite:ApiKey"] = "emulator-key",
                        ["Kite:AccessToken"] = "emulator-token",
                        ["Kite:StreamUrl"] = kite.StreamUrl.ToString(),
                        ["Kite:RestUrl"] = kite.RestUrl.ToString().TrimEnd('/'),
                        ["Kite:CacheDirectory"] = cache,
                    });
                case "upstox":
                    UpstoxEmulator upstox = await UpstoxEmulator.StartAsync(new UpstoxEmulatorOptions { TicksPerInstrumentPerSecond = 0.2 });
                    return new Venue(name, upstox, new()
                    {
                        ["Upstox:AccessToken"] = "emulator-token",
                        ["Upstox:RestUrl"] = upstox.RestUrl.ToString().TrimEnd('/'),
                        ["Upstox:InstrumentsUrl"] = upstox.InstrumentsUrl.ToString(),
                        ["Upstox:CacheDirectory"] = cache,
                    });
                case "binance":
                    BinanceEmulator binance = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions());
                    return new Venue(name, binance, new()
                    {
                        ["Binance:StreamUrl"] = binance.StreamUrl.ToString().TrimEnd('/'),
                        ["Binance:RestUrl"] = binance.RestUrl.ToString().TrimEnd('/'),
                        ["Binance:CacheDirectory"] = cache,
                    });
                default:
                    throw new ArgumentException($"history-bootstrap runs against kite, upstox or binance, not '{name}'");
            }
        }

        public IFeed CreateFeed() =>
            KnownVenues.Catalog.Get(Name).Create(new ConfigurationBuilder().AddInMemoryCollection(_settings).Build(), TimeProvider.System);

        /// <summary>The same N instruments of the venue in both measurements.</summary>
        public Instrument[] Pick(InstrumentRegistry registry, int count)
        {
            // Shares and indices first, then options (the emulator lists ten shares).
            Instrument[] picked = [.. registry.All()
                .OrderBy(i => i.Kind is InstrumentKind.Equity or InstrumentKind.Index ? 0 : 1)
                .ThenBy(i => i.Symbol, StringComparer.Ordinal)
                .Take(count)];
            return picked.Length == count ? picked : throw new InvalidOperationException($"{Name} emulator lists {picked.Length} instruments, fewer than {count}");
        }

        public ValueTask DisposeAsync() => _emulator.DisposeAsync();
    }
}
