using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// A Kraken Spot stand-in on 127.0.0.1 that speaks Kraken's real messages: WebSocket v2 at <c>/v2</c> (status on
/// connect, ping/pong, subscribe and unsubscribe with per-symbol acks and errors, heartbeats, the message-rate limit)
/// with <c>trade</c>, <c>ticker</c> and checksummed <c>book</c> channels from an order book per pair, and the public
/// REST endpoints (AssetPairs, OHLC, Ticker) — fed by the simulator, with injectable faults (see
/// <see cref="KrakenEmulatorFaults"/>).
/// </summary>
public sealed class KrakenEmulator : IVenueEmulator
{
    private readonly WebApplication _app;
    private readonly KrakenEmulatorMarket _market;
    private readonly KrakenEmulatorFaults _faults;
    private readonly KrakenEmulatorStreams _streams;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private long _framesSent;
    private long _rejections;

    private KrakenEmulator(WebApplication app, KrakenEmulatorMarket market, KrakenEmulatorFaults faults, KrakenEmulatorStreams streams, KrakenEmulatorPump pump,
        KrakenControlMessages controls, Uri address)
    {
        _app = app;
        _market = market;
        _faults = faults;
        _streams = streams;
        RestUrl = new Uri(address.GetLeftPart(UriPartial.Authority));
        StreamUrl = new UriBuilder(RestUrl) { Scheme = "ws", Path = "/v2" }.Uri;
        pump.Sent += (symbol, tick) => Sent?.Invoke(symbol, tick);
        controls.Sent += (symbol, tick) => Sent?.Invoke(symbol, tick);
        pump.SentFrame += (channel, symbol, text) => SentFrame?.Invoke(channel, symbol, text);
        controls.SentFrame += (channel, symbol, text) => SentFrame?.Invoke(channel, symbol, text);
        pump.Fuzzed += frame => Fuzzed?.Invoke(frame);
        _pump = Task.Run(() => pump.RunAsync(_stopping.Token));
    }

    /// <summary>The WebSocket v2 endpoint, <c>ws://127.0.0.1:PORT/v2</c>.</summary>
    public Uri StreamUrl { get; }

    /// <summary>The REST base (<c>http://127.0.0.1:PORT</c>): clients add <c>/0/public/…</c>.</summary>
    public Uri RestUrl { get; }

    /// <summary>The shared faults, to switch directly (<c>badchecksum</c> goes through <see cref="SetFaults"/>).</summary>
    public EmulatorFaults Faults => _faults.Shared;

    public int Connections => _streams.Connections.Count;

    /// <summary>The v2 symbols traded (<c>BTC/USD</c>, …).</summary>
    public IReadOnlyList<string> Symbols => [.. _market.Specs.Select(s => s.Symbol)];

    /// <summary>Every frame sent on every socket so far.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Stream upgrades and REST calls refused with Cloudflare's 403 (the <c>auth</c> fault).</summary>
    public long AuthRejections => Interlocked.Read(ref _rejections);

    /// <summary>Book updates sent with a wrong checksum (the <c>badchecksum</c> fault).</summary>
    public long BadChecksumsSent => _faults.BadChecksumsSent;

    /// <summary>
    /// (symbol, tick) for every trade and ticker sent, once per connection it went to — what a client should decode:
    /// a trade's Ltp, Ltq, ExchangeTime and VenueSequence (trade_id); a ticker's Bid, BidQty, Ask and AskQty.
    /// </summary>
    public event Action<string, Tick>? Sent;

    /// <summary>(channel, symbol, text) for every data message sent (snapshots included), exactly as sent, per connection.</summary>
    public event Action<string, string, string>? SentFrame;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    /// <exception cref="ArgumentException">The options (e.g. the fault spec) are not valid; the message says why.</exception>
    public static async Task<KrakenEmulator> StartAsync(KrakenEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        if (options.LevelsPerSide < 30 || options.TradesPerSymbolPerSecond < 0 || options.MaxIncomingMessagesPerSecond < 1 || options.RestCallsPerSecond < 1)
        {
            throw new ArgumentException("Kraken emulator: LevelsPerSide must be at least 30, TradesPerSymbolPerSecond at least 0, MaxIncomingMessagesPerSecond and RestCallsPerSecond at least 1");
        }

        IReadOnlyList<KrakenPairSpec> specs = KrakenEmulatorUniverse.Build();

        // Parsed before anything listens: a bad spec fails without leaving a server behind.
        var faults = new KrakenEmulatorFaults(new EmulatorFaults(), [.. specs.Select(s => s.Symbol)]);
        if (options.Faults is { Length: > 0 } spec)
        {
            faults.Apply(spec);
        }

        var market = new KrakenEmulatorMarket(specs, options.Seed, options.LevelsPerSide, options.TradesPerSymbolPerSecond, DateTime.UtcNow);
        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        KrakenEmulator? emulator = null;
        var controls = new KrakenControlMessages(market);
        var sockets = new KrakenEmulatorStreams(options, faults, controls, () => emulator!.Rejected(), () => emulator!.Counted());
        app.Map("/v2", sockets.AcceptAsync);
        new KrakenEmulatorRest(market, faults, options.RestCallsPerSecond, () => emulator!.Rejected()).Map(app);
        app.MapPost("/_emulator/faults", (string spec) =>
        {
            try
            {
                return Results.Text(emulator!.SetFaults(spec));
            }
            catch (ArgumentException e)
            {
                return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        app.MapPost("/_emulator/drop", () => Results.Text($"dropped {emulator!.DropConnections()} connections"));
        Uri address = await EmulatorHost.StartAsync(app, cancellationToken);
        emulator = new KrakenEmulator(app, market, faults, sockets, new KrakenEmulatorPump(market, sockets, faults, options), controls, address);
        return emulator;
    }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    public IReadOnlyList<string> Describe() =>
    [
        $"Kraken emulator on {RestUrl} (faults: {_faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Kraken__StreamUrl={StreamUrl} MARKETFEED_Kraken__RestUrl={RestUrl.ToString().TrimEnd('/')}",
        $"  Pairs {string.Join(", ", Symbols)}; channels trade, ticker, book (depth 10, 25, 100, 500, 1000).",
        $"  Kraken-only faults: {KrakenEmulatorFaults.Names}.",
    ];

    /// <summary>Applies a fault spec: the shared faults and <c>badchecksum</c>; returns the faults now on.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number; the message lists the valid ones.</exception>
    public string SetFaults(string spec)
    {
        _faults.Apply(spec);
        return _faults.ToString();
    }

    /// <summary>Aborts every client socket at once, as a network failure would.</summary>
    public int DropConnections() => _streams.DropAll();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropConnections();
        await _pump.ContinueWith(_ => { }, TaskScheduler.Default);
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Stops trading and moving the books, so a client's book can be compared with the emulator's.</summary>
    internal void Freeze(bool frozen) => _market.Frozen = frozen;

    /// <summary>The best <paramref name="levels"/> per side of a pair's book, best first.</summary>
    internal (List<(long Price, long Quantity)> Bids, List<(long Price, long Quantity)> Asks) Book(string symbol, int levels) => _market.Depth(symbol, levels);

    private void Rejected() => Interlocked.Increment(ref _rejections);

    private void Counted() => Interlocked.Increment(ref _framesSent);
}
