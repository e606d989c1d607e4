using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// A Binance Spot stand-in on 127.0.0.1 that speaks Binance's real bytes: market streams (<c>/stream?streams=…</c>
/// combined, <c>/ws/…</c> raw, live SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/SET_PROPERTY/GET_PROPERTY, the 5
/// messages/s and 1024 streams limits, pings) with <c>@trade</c>, <c>@bookTicker</c>, diff and partial depth from an
/// order book per symbol, and the public REST endpoints (exchangeInfo, depth, klines, ticker/price,
/// ticker/bookTicker) with request weight, 429 and 418 — fed by the simulator, with injectable faults (see
/// <see cref="BinanceEmulatorFaults"/>).
/// </summary>
public sealed class BinanceEmulator : IVenueEmulator
{
    private readonly WebApplication _app;
    private readonly BinanceEmulatorMarket _market;
    private readonly BinanceEmulatorFaults _faults;
    private readonly BinanceEmulatorStreams _streams;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private long _framesSent;
    private long _authRejections;

    private BinanceEmulator(WebApplication app, BinanceEmulatorMarket market, BinanceEmulatorFaults faults, BinanceEmulatorStreams streams, BinanceEmulatorPump pump, Uri address)
    {
        _app = app;
        _market = market;
        _faults = faults;
        _streams = streams;
        RestUrl = new Uri(address.GetLeftPart(UriPartial.Authority));
        StreamUrl = new UriBuilder(RestUrl) { Scheme = "ws" }.Uri;
        pump.Sent += (symbol, tick) => Sent?.Invoke(symbol, tick);
        pump.SentFrame += (stream, text) => SentFrame?.Invoke(stream, text);
        pump.Fuzzed += frame => Fuzzed?.Invoke(frame);
        _pump = Task.Run(() => pump.RunAsync(_stopping.Token));
    }

    /// <summary>The stream base (<c>ws://127.0.0.1:PORT</c>): clients add <c>/stream?streams=…</c> or <c>/ws/…</c>.</summary>
    public Uri StreamUrl { get; }

    /// <summary>The REST base (<c>http://127.0.0.1:PORT</c>): clients add <c>/api/v3/…</c>.</summary>
    public Uri RestUrl { get; }

    /// <summary>The shared faults, to switch directly (the Binance-only ones go through <see cref="SetFaults"/>).</summary>
    public EmulatorFaults Faults => _faults.Shared;

    public int Connections => _streams.Connections.Count;

    /// <summary>The symbols traded, upper case.</summary>
    public IReadOnlyList<string> Symbols => [.. _market.Specs.Select(s => s.Symbol)];

    /// <summary>Every frame sent on every socket so far (events, replies, fault and fuzzed frames).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Stream upgrades and REST calls refused with the WAF's 403 (the <c>auth</c> fault).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    /// <summary>
    /// (symbol, tick) for every <c>@trade</c> and <c>@bookTicker</c> event sent, once per connection it went to — what a
    /// client should decode: a trade's Ltp, Ltq, ExchangeTime (T) and VenueSequence (t); a bookTicker's Bid, BidQty,
    /// Ask, AskQty and VenueSequence (u). Faults such as <c>absurd</c> and <c>timejump</c> are already in it.
    /// </summary>
    public event Action<string, Tick>? Sent;

    /// <summary>(stream, text) for every event frame sent (trade, bookTicker, depthUpdate, partial depth, serverShutdown), exactly as sent, per connection.</summary>
    public event Action<string, string>? SentFrame;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    /// <exception cref="ArgumentException">The options (e.g. the fault spec) are not valid; the message says why.</exception>
    public static async Task<BinanceEmulator> StartAsync(BinanceEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        if (options.LevelsPerSide < 20 || options.TradesPerSymbolPerSecond < 0 || options.WeightPerMinute < 1 || options.MaxIncomingMessagesPerSecond < 1)
        {
            throw new ArgumentException("Binance emulator: LevelsPerSide must be at least 20, TradesPerSymbolPerSecond at least 0, WeightPerMinute and MaxIncomingMessagesPerSecond at least 1");
        }

        DateTime start = DateTime.UtcNow;
        IReadOnlyList<BinanceSymbolSpec> specs = BinanceEmulatorUniverse.Build(DateOnly.FromDateTime(start));
        var weight = new BinanceRequestWeight(options.WeightPerMinute, options.BanDuration);

        // Parsed before anything listens: a bad spec fails without leaving a server behind.
        var faults = new BinanceEmulatorFaults(new EmulatorFaults(), weight, options.BanDuration, [.. specs.Select(s => s.Symbol)]);
        if (options.Faults is { Length: > 0 } spec)
        {
            faults.Apply(spec);
        }

        var market = new BinanceEmulatorMarket(specs, options.Seed, options.LevelsPerSide, options.TradesPerSymbolPerSecond, start);
        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        BinanceEmulator? emulator = null;
        var sockets = new BinanceEmulatorStreams(options, faults, () => emulator!.Rejected(), () => emulator!.Counted());
        app.Map("/stream", sockets.AcceptCombinedAsync);
        app.Map("/ws", (HttpContext context) => sockets.AcceptRawAsync(context, null));
        app.Map("/ws/{**streams}", (HttpContext context, string? streams) => sockets.AcceptRawAsync(context, streams));
        new BinanceEmulatorRest(market, faults, weight, () => emulator!.Rejected()).Map(app);
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
        emulator = new BinanceEmulator(app, market, faults, sockets, new BinanceEmulatorPump(market, sockets, faults, options.MaxConnectionAge), address);
        return emulator;
    }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    public IReadOnlyList<string> Describe() =>
    [
        $"Binance emulator on {RestUrl} (faults: {_faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Binance__StreamUrl={StreamUrl.ToString().TrimEnd('/')} MARKETFEED_Binance__RestUrl={RestUrl.ToString().TrimEnd('/')}",
        $"  Symbols {string.Join(", ", Symbols)}; streams <symbol>@{BinanceStreamNames.Served.Replace(", ", ", @", StringComparison.Ordinal)} (others are accepted and silent).",
        $"  Binance-only faults: {BinanceEmulatorFaults.Names}.",
    ];

    /// <summary>Applies a fault spec: the shared faults and <c>depthgap</c>, <c>shutdown=SECONDS</c>, <c>ban[=SECONDS]</c>; returns the faults now on.</summary>
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

    /// <summary>Stops trading and moving the books (diffs still pending are sent), so a client's book can be compared with the emulator's.</summary>
    internal void Freeze(bool frozen) => _market.Frozen = frozen;

    internal (long LastUpdateId, IReadOnlyList<BinanceLevel> Bids, IReadOnlyList<BinanceLevel> Asks) Book(string symbol) => _market.Depth(symbol, int.MaxValue);

    private void Rejected() => Interlocked.Increment(ref _authRejections);

    private void Counted() => Interlocked.Increment(ref _framesSent);
}
