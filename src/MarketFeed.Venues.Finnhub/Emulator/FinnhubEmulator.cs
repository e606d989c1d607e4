using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Emulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// A Finnhub stand-in on 127.0.0.1 that speaks Finnhub's real JSON: the trade socket (<c>/?token=…</c>, subscribe and
/// unsubscribe without acknowledgement, the symbol cap and its error, several trades of several symbols per frame,
/// pings, one socket per token) and the REST API under <c>/api/v1</c> (<c>/quote</c>, symbol lists, candles for a
/// premium plan, the per-minute limit) — fed by the simulator, with the shared faults plus <c>duptrades[=N]</c> and
/// <c>toomanysymbols[=N]</c> (see <see cref="FinnhubEmulatorFaults"/>).
/// </summary>
public sealed class FinnhubEmulator : IVenueEmulator
{
    private readonly WebApplication _app;
    private readonly FinnhubEmulatorFaults _faults;
    private readonly FinnhubEmulatorStreams _streams;
    private readonly FinnhubEmulatorMarket _market;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private long _framesSent;
    private long _authRejections;

    private FinnhubEmulator(WebApplication app, FinnhubEmulatorMarket market, FinnhubEmulatorFaults faults, FinnhubEmulatorStreams streams, FinnhubEmulatorPump pump, Uri address, string token)
    {
        _app = app;
        _market = market;
        _faults = faults;
        _streams = streams;
        Token = token;
        RestUrl = new Uri(address.GetLeftPart(UriPartial.Authority) + "/api/v1");
        StreamUrl = new UriBuilder(address) { Scheme = "ws", Path = "/" }.Uri;
        pump.Sent += trade => Sent?.Invoke(trade.Symbol, trade.Price, trade.Volume, trade.TimeMs);
        pump.SentFrame += text => SentFrame?.Invoke(text);
        pump.Fuzzed += frame => Fuzzed?.Invoke(frame);
        _pump = Task.Run(() => pump.RunAsync(_stopping.Token));
    }

    /// <summary>The socket URL without the token (<c>ws://127.0.0.1:PORT/</c>).</summary>
    public Uri StreamUrl { get; }

    /// <summary>The REST base (<c>http://127.0.0.1:PORT/api/v1</c>).</summary>
    public Uri RestUrl { get; }

    /// <summary>The token it accepts.</summary>
    public string Token { get; }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    /// <summary>The shared faults, to switch directly (the Finnhub-only ones go through <see cref="SetFaults"/>).</summary>
    public EmulatorFaults Faults => _faults.Shared;

    public int Connections => _streams.Connections.Count;

    /// <summary>The symbols listed, as Finnhub spells them.</summary>
    public IReadOnlyList<string> Symbols => [.. _market.Specs.Select(s => s.Symbol)];

    /// <summary>The symbols each open socket has subscribed, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Subscriptions => [.. _streams.Connections.Select(c => c.Symbols)];

    /// <summary>Subscriptions refused over the symbol cap.</summary>
    public long RefusedSubscriptions => _streams.Refused;

    /// <summary>Every frame sent on every socket so far (trades, pings, fault and fuzzed frames).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Socket upgrades and REST calls refused for their token (401, or 429 "Please sign up" without one).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    /// <summary>(symbol, price, volume, Unix ms) — raw fixed point — for every print sent, per connection and per copy; and every <c>/quote</c> answered (volume and time 0).</summary>
    public event Action<string, long, long, long>? Sent;

    /// <summary>Every trade frame, exactly as sent, per connection and per copy.</summary>
    public event Action<string>? SentFrame;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault).</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    /// <exception cref="ArgumentException">The options (e.g. the fault spec) are not valid; the message says why.</exception>
    public static async Task<FinnhubEmulator> StartAsync(FinnhubEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        if (options.TradesPerSymbolPerSecond < 0 || options.MaxTradesPerFrame < 1 || options.MaxSymbols < 0 || options.CallsPerMinute < 1
            || options.PingInterval <= TimeSpan.Zero || string.IsNullOrEmpty(options.Token))
        {
            throw new ArgumentException("Finnhub emulator: TradesPerSymbolPerSecond and MaxSymbols must be at least 0, MaxTradesPerFrame and CallsPerMinute at least 1, PingInterval positive, Token set");
        }

        // Parsed before anything listens: a bad spec fails without leaving a server behind.
        var faults = new FinnhubEmulatorFaults(new EmulatorFaults());
        if (options.Faults is { Length: > 0 } spec)
        {
            faults.Apply(spec);
        }

        var market = new FinnhubEmulatorMarket(FinnhubEmulatorUniverse.Build(), options.Seed, options.TradesPerSymbolPerSecond);
        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        FinnhubEmulator? emulator = null;
        var streams = new FinnhubEmulatorStreams(options, faults, () => emulator!.Rejected(), () => emulator!.Counted());
        app.Map("/", streams.AcceptAsync);
        new FinnhubEmulatorRest(market, faults, options, () => emulator!.Rejected(), (symbol, price) => emulator!.Sent?.Invoke(symbol, price, 0, 0)).Map(app);
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
        emulator = new FinnhubEmulator(app, market, faults, streams, new FinnhubEmulatorPump(market, streams, faults, options), address, options.Token);
        return emulator;
    }

    public IReadOnlyList<string> Describe() =>
    [
        $"Finnhub emulator on {Address} (faults: {_faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Finnhub__StreamUrl={StreamUrl.ToString().TrimEnd('/')} MARKETFEED_Finnhub__RestUrl={RestUrl} MARKETFEED_Finnhub__Token={Token}",
        $"  Symbols {string.Join(", ", Symbols)} (MarketFeed names them FINNHUB:<symbol>).",
        $"  Finnhub-only faults: {FinnhubEmulatorFaults.Names}.",
    ];

    /// <summary>Applies a fault spec: the shared faults and <c>duptrades[=N]</c>, <c>toomanysymbols[=N]</c>; returns the faults now on.</summary>
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

    private void Rejected() => Interlocked.Increment(ref _authRejections);

    private void Counted() => Interlocked.Increment(ref _framesSent);
}
