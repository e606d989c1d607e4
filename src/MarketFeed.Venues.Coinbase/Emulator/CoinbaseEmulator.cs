using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// A Coinbase Advanced Trade stand-in on 127.0.0.1 that speaks Coinbase's real JSON: the market-data WebSocket at
/// <c>/</c> (subscribe/unsubscribe one channel a message, <c>subscriptions</c> answers, <c>ticker</c>,
/// <c>market_trades</c>, <c>level2</c> as <c>l2_data</c> with a snapshot first, <c>heartbeats</c> every second,
/// <c>sequence_num</c> per connection, errors, the 8 messages/s and 5 s subscribe limits) and the public REST market
/// endpoints (products, candles, ticker) — fed by the simulator, with injectable faults (see
/// <see cref="CoinbaseEmulatorFaults"/>).
/// </summary>
public sealed class CoinbaseEmulator : IVenueEmulator
{
    private readonly WebApplication _app;
    private readonly CoinbaseEmulatorMarket _market;
    private readonly CoinbaseEmulatorFaults _faults;
    private readonly CoinbaseEmulatorStreams _streams;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private long _framesSent;
    private long _authRejections;

    private CoinbaseEmulator(WebApplication app, CoinbaseEmulatorMarket market, CoinbaseEmulatorFaults faults, CoinbaseEmulatorStreams streams, CoinbaseEmulatorPump pump, Uri address)
    {
        _app = app;
        _market = market;
        _faults = faults;
        _streams = streams;
        RestUrl = new Uri(address.GetLeftPart(UriPartial.Authority));
        StreamUrl = new UriBuilder(RestUrl) { Scheme = "ws" }.Uri;
        pump.Sent += (product, tick) => Sent?.Invoke(product, tick);
        pump.SentFrame += (e, text) => SentFrame?.Invoke(e.MessageChannel, e.Product, text);
        pump.Fuzzed += frame => Fuzzed?.Invoke(frame);
        _pump = Task.Run(() => pump.RunAsync(_stopping.Token));
    }

    /// <summary>The market-data WebSocket (<c>ws://127.0.0.1:PORT/</c>).</summary>
    public Uri StreamUrl { get; }

    /// <summary>The REST base (<c>http://127.0.0.1:PORT</c>): clients add <c>/api/v3/brokerage/market/…</c>.</summary>
    public Uri RestUrl { get; }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    /// <summary>The shared faults, to switch directly (the Coinbase-only ones go through <see cref="SetFaults"/>).</summary>
    public EmulatorFaults Faults => _faults.Shared;

    public int Connections => _streams.Connections.Count;

    /// <summary>The products traded.</summary>
    public IReadOnlyList<string> Products => [.. _market.Specs.Select(s => s.ProductId)];

    /// <summary>Every frame sent on every socket so far (messages, replies, fault and fuzzed frames).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Stream upgrades and REST calls refused with 401 (the <c>auth</c> fault).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    /// <summary>
    /// (product, tick) for every trade and ticker sent, once per connection it went to — what a client should decode:
    /// a trade's Ltp, Ltq, ExchangeTime and VenueSequence (trade id); a ticker's top of book and 24-hour figures.
    /// Faults such as <c>absurd</c> and <c>timejump</c> are already in it.
    /// </summary>
    public event Action<string, Tick>? Sent;

    /// <summary>(channel as sent, product, text) for every market-data message sent (snapshots included), exactly as sent, per connection.</summary>
    public event Action<string, string, string>? SentFrame;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    /// <exception cref="ArgumentException">The options (e.g. the fault spec) are not valid; the message says why.</exception>
    public static async Task<CoinbaseEmulator> StartAsync(CoinbaseEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        if (options.LevelsPerSide < 10 || options.TradesPerProductPerSecond < 0 || options.MaxIncomingMessagesPerSecond < 1 || options.RestRequestsPerSecond < 1)
        {
            throw new ArgumentException("Coinbase emulator: LevelsPerSide must be at least 10, TradesPerProductPerSecond at least 0, MaxIncomingMessagesPerSecond and RestRequestsPerSecond at least 1");
        }

        IReadOnlyList<CoinbaseProductSpec> specs = CoinbaseProductSpec.Universe;

        // Parsed before anything listens: a bad spec fails without leaving a server behind.
        var faults = new CoinbaseEmulatorFaults(new EmulatorFaults(), [.. specs.Select(s => s.ProductId)]);
        if (options.Faults is { Length: > 0 } spec)
        {
            faults.Apply(spec);
        }

        var market = new CoinbaseEmulatorMarket(specs, options.Seed, options.LevelsPerSide, options.TradesPerProductPerSecond, DateTime.UtcNow);
        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        CoinbaseEmulator? emulator = null;
        var streams = new CoinbaseEmulatorStreams(options, market, faults, () => emulator!.Rejected(), () => emulator!.Counted());
        app.Map("/", streams.AcceptAsync);
        new CoinbaseEmulatorRest(market, faults, options.RestRequestsPerSecond, () => emulator!.Rejected()).Map(app);
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
        emulator = new CoinbaseEmulator(app, market, faults, streams, new CoinbaseEmulatorPump(market, streams, faults), address);
        return emulator;
    }

    public IReadOnlyList<string> Describe() =>
    [
        $"Coinbase emulator on {RestUrl} (faults: {_faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Coinbase__StreamUrl={StreamUrl.ToString().TrimEnd('/')} MARKETFEED_Coinbase__RestUrl={RestUrl.ToString().TrimEnd('/')}",
        $"  Products {string.Join(", ", Products)}; channels market_trades, ticker, level2 (as l2_data), heartbeats (others are accepted and silent).",
        $"  Coinbase-only faults: {CoinbaseEmulatorFaults.Names}.",
    ];

    /// <summary>Applies a fault spec: the shared faults and <c>seqgap</c>, <c>reject=PRODUCT</c>; returns the faults now on.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad value; the message lists the valid ones.</exception>
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

    private void Rejected() => Interlocked.Increment(ref _authRejections);

    private void Counted() => Interlocked.Increment(ref _framesSent);
}
