using System.Globalization;
using System.Text;
using MarketFeed.Candles;
using MarketFeed.Emulators;
using MarketFeed.Emulators.Replay;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Venues;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.TestSupport;

/// <summary>
/// Records a venue's emulator into a journal (raw and normalized logs, as <c>marketfeed record</c> does), and replays
/// a raw log through the venue's own feed against a <see cref="RawReplayServer"/>, recording what the hub re-derives.
/// </summary>
internal static class RawJournalRig
{
    /// <summary>Two instruments of each venue's emulator.</summary>
    public static string[] SymbolsOf(string venue) => venue switch
    {
        "binance" => ["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"],
        "finnhub" => ["FINNHUB:AAPL", "FINNHUB:BINANCE:BTCUSDT"],
        "coinbase" => ["COINBASE:BTC-USD", "COINBASE:ETH-USD"],
        "kraken" => ["KRAKEN:BTC/USD", "KRAKEN:ETH/USD"],
        _ => ["NSE:INFY", "NSE:NIFTY 50"],
    };

    /// <summary>Records <paramref name="venue"/>'s emulator into <paramref name="journal"/> until <paramref name="ticks"/> ticks were admitted.</summary>
    /// <remarks>Without <paramref name="seedHistory"/> no candle history is asked for, so the recording stays small (golden files).</remarks>
    public static async Task RecordAsync(string venue, string journal, int ticks, double ticksPerSecond = 10, bool seedHistory = true)
    {
        IVenueModule module = KnownVenues.Find(venue)!;
        await using IVenueEmulator emulator = await module.StartEmulatorAsync(new EmulatorSettings(0, null, ticksPerSecond), CancellationToken.None);
        JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = journal }, venue, decoderVersion: 1);
        try
        {
            IFeed feed = module.Feed.Create(Configuration(module, emulator.Address), TimeProvider.System);
            MarketFeedHost host = await MarketFeedHost.CreateAsync([feed], Hub(seedHistory), rawFrames: new JournalRawFrameTap(recorder));
            JournalEventPump pump = JournalEventPump.Start(host.Hub, host.Instruments, recorder);
            try
            {
                string[] symbols = SymbolsOf(venue);
                recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.Marker, 0, 0, DateTime.UtcNow, Encoding.UTF8.GetBytes(RawRecording.SymbolsMarker + string.Join(',', symbols)));
                await using MarketSubscription sub = host.Subscribe(symbols, new SubscriberOptions { Mode = FeedMode.Full });
                host.StartFeeds();
                await KiteVenue.CollectAsync(sub, t => t.Count >= ticks, 30_000);
            }
            finally
            {
                await host.DisposeAsync();
                await pump.DisposeAsync();
            }
        }
        finally
        {
            await recorder.DisposeAsync();
        }
    }

    /// <summary>Replays the raw log of <paramref name="journal"/> through its venue's feed; what the hub admits is recorded into <paramref name="output"/>.</summary>
    /// <remarks>
    /// With <paramref name="subscribeBeforeConnecting"/> (as <c>marketfeed replay --raw</c> does) the feed's first
    /// connection carries the subscriptions; without, the feed connects first, as a gateway's does.
    /// </remarks>
    public static async Task ReplayAsync(string journal, string output, bool seedHistory = true, bool subscribeBeforeConnecting = true)
    {
        RawRecording recording = RawRecording.Load(journal);
        IVenueModule module = KnownVenues.Find(recording.Source)!;
        await using RawReplayServer server = await RawReplayServer.StartAsync(recording);
        JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = output }, "replay", decoderVersion: 1);
        try
        {
            IFeed feed = module.Feed.Create(Configuration(module, server.Address), TimeProvider.System);
            MarketFeedHost host = await MarketFeedHost.CreateAsync([feed], Hub(seedHistory));
            if (!subscribeBeforeConnecting)
            {
                host.StartFeeds();
                await SimulatedHost.WaitUntil(() => server.FeedMessages > 0, 10_000);
            }

            JournalEventPump pump = JournalEventPump.Start(host.Hub, host.Instruments, recorder);
            try
            {
                await using MarketSubscription sub = host.Subscribe(recording.Symbols, new SubscriberOptions { Mode = FeedMode.Full, TickPolicy = TickQueuePolicy.ConflateLatest });
                host.StartFeeds();
                try
                {
                    await SimulatedHost.WaitUntil(() => server.Finished, 30_000);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException(
                        $"replay of {recording.Connections.Count} connections ({string.Join(", ", recording.Connections.Select(c => $"{c.Path}: {c.Inbound} in, ended {c.EndedBecause}"))}), "
                        + $"{recording.Rest.Count} REST answers: {server.FramesSent} frames sent ({server.State}; {server.LastError}), {feed.Health.Messages} read, feed {feed.Health.State} {feed.Health.LastError}");
                }

                // The last frames are still being decoded and published: flush until nothing more arrives for a while
                // (bounded: a replay that derives nothing fails here with what it did, it does not wait forever).
                for (int quiet = 0, rounds = 0; quiet < 3; rounds++)
                {
                    long before = recorder.Status.Recorded;
                    if (rounds == 75)
                    {
                        throw new TimeoutException(
                            $"the replay's events never settled in 15 s: {before} recorded, {server.FramesSent} frames sent, {feed.Health.Messages} read, "
                            + $"{feed.Health.MalformedFrames} malformed, {feed.Health.UnknownInstruments} unknown, {feed.Health.HandlerErrors} handler errors, hub received {host.Hub.Quality().Received} and dropped {host.Hub.Quality().DroppedUnwanted} as unwanted, "
                            + $"feed {feed.Health.State} {feed.Health.LastError}; replay server: {server.State}");
                    }

                    await host.Hub.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
                    await Task.Delay(200);
                    quiet = recorder.Status.Recorded == before && before > 0 ? quiet + 1 : 0;
                }
            }
            finally
            {
                await host.DisposeAsync();
                await pump.DisposeAsync();
            }
        }
        finally
        {
            await recorder.DisposeAsync();
        }
    }

    /// <summary>
    /// The ticks of a journal's normalized log, one compact line each: symbol, sequence number, what the tick updates,
    /// and every value (prices, quantities, OI, depth, exchange time) — not the receive time, which is the replay's own.
    /// </summary>
    public static List<string> TickLines(string journal)
    {
        var lines = new List<string>();
        foreach (JournalRecord record in new JournalLogReader(journal, JournalLogKind.Normalized).Read())
        {
            if (record.Kind == JournalRecordKind.Tick)
            {
                Tick tick = JournalEventCodec.ReadTick(record.Payload.Span, out string symbol);
                lines.Add(Line(in tick, symbol));
            }
        }

        return lines;
    }

    private static string Line(in Tick t, string symbol)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{symbol} #{t.Seq} {t.Updates} {t.Source} {t.Mode} flags={t.Flags & ~TickFlags.ClockAhead}");
        Field(line, "ltp", t.Ltp.ToString());
        Field(line, "ltq", t.Ltq.ToString());
        Field(line, "atp", t.Atp.ToString());
        Field(line, "vol", t.Volume.ToString());
        Field(line, "bid", $"{t.Bid}x{t.BidQty}");
        Field(line, "ask", $"{t.Ask}x{t.AskQty}");
        Field(line, "ohlc", $"{t.Open}/{t.High}/{t.Low}/{t.Close}");
        Field(line, "oi", t.Oi.ToString());
        Field(line, "vseq", t.VenueSequence.ToString(CultureInfo.InvariantCulture));
        Field(line, "exch", t.ExchangeTime.ToString("O", CultureInfo.InvariantCulture));
        if ((t.Updates & TickFields.Depth) != 0)
        {
            MarketDepth depth = t.Depth;
            Field(line, "depth", string.Join(' ', Enumerable.Range(0, MarketDepth.Levels).Select(i => Level(depth.Bids[i])))
                + " | " + string.Join(' ', Enumerable.Range(0, MarketDepth.Levels).Select(i => Level(depth.Asks[i]))));
        }

        return line.ToString();
    }

    private static HubOptions Hub(bool seedHistory) =>
        new() { Partitions = 1, Candles = new CandleOptions { HistoryBars = seedHistory ? 200 : 0 } };

    private static string Level(DepthLevel level) => $"{level.Price}x{level.Quantity}/{level.Orders}";

    private static void Field(StringBuilder line, string name, string value) => line.Append(' ').Append(name).Append('=').Append(value);

    // Dhan's 20-level depth is a second socket: how its frames interleave with the main socket's is not reproducible
    // (nor is it live), so its recordings here keep to the one socket whose order is.
    private static IConfiguration Configuration(IVenueModule module, Uri server) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(module.ConfigurationFor(server, Directory.CreateTempSubdirectory("mf-raw-cache-").FullName))
            .AddInMemoryCollection(module.Venue == "dhan" ? new Dictionary<string, string?> { ["Dhan:Depth"] = "false" } : [])
            .Build();
}
