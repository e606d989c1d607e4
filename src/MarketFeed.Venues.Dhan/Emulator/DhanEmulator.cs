using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// A DhanHQ v2 stand-in on 127.0.0.1 that speaks Dhan's real bytes: the main feed WebSocket (credentials in the query,
/// JSON request codes, little-endian binary packets, several to a frame, previous close once per subscription,
/// disconnect packets with Dhan's reason codes: 804 past 5,000 instruments or 100 a message, 805 for a sixth
/// connection, 807/808 for a bad token or client id), the 20-level depth WebSocket and the REST endpoints (market
/// quote, charts, scrip master) — fed by the simulator, with the shared faults plus <c>disconnect=CODE</c>.
/// </summary>
public sealed class DhanEmulator : IVenueEmulator
{
    public const int MaxConnections = 5;
    public const int MaxInstruments = 5000;
    public const int MaxPerMessage = 100;
    public const int MaxDepthInstruments = 50;

    private readonly WebApplication _app;
    private readonly DhanEmulatorOptions _options;
    private readonly ConcurrentDictionary<DhanEmulatorConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _generator;
    private long _opened;
    private long _authRejections;
    private long _framesSent;

    private DhanEmulator(WebApplication app, DhanEmulatorOptions options, DhanEmulatorMarket market, DhanEmulatorFaults faults, Uri address)
    {
        _app = app;
        _options = options;
        Market = market;
        DhanFaults = faults;
        RestUrl = address;
        StreamUrl = new UriBuilder(address) { Scheme = "ws" }.Uri;
        DepthUrl = new UriBuilder(address) { Scheme = "ws", Path = "/twentydepth" }.Uri;
        Fuzz = new DhanFuzzFrames(market);
        _generator = Task.Run(() => new DhanEmulatorPump(this).RunAsync(_stopping.Token));
    }

    public Uri StreamUrl { get; }

    public Uri DepthUrl { get; }

    public Uri RestUrl { get; }

    public EmulatorFaults Faults => DhanFaults.Shared;

    public DhanEmulatorFaults DhanFaults { get; }

    /// <summary>Open main feed sockets.</summary>
    public int Connections => _connections.Keys.Count(c => !c.Depth);

    /// <summary>Open depth feed sockets.</summary>
    public int DepthConnections => _connections.Keys.Count(c => c.Depth);

    /// <summary>The native keys (<c>NSE_EQ:2885</c>) subscribed on the main feed's sockets, in any mode.</summary>
    public IReadOnlySet<string> SubscribedKeys => _connections.Keys.Where(c => !c.Depth)
        .SelectMany(c => c.Subscribed.Keys)
        .Select(k => Market.TryGet(k.Key, out DhanEmulatorSecurity? s) ? s.NativeKey : "")
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every frame sent on every socket so far (fuzzed frames included).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Stream connections and REST calls refused for their credentials (the <c>auth</c> fault included).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    /// <summary>Every tick sent, as (native key, tick, mode) — streamed packets, and REST quotes of a market that moved (as full): what tests compare the adapter's output with.</summary>
    public event Action<string, Tick, FeedMode>? Sent;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    /// <summary>Every control message received on a main feed socket, as text (tests read unsubscribes here).</summary>
    public event Action<string>? Received;

    internal DhanEmulatorMarket Market { get; }

    internal double TicksPerInstrumentPerSecond => _options.TicksPerInstrumentPerSecond;

    internal DhanFuzzFrames Fuzz { get; }

    internal IEnumerable<DhanEmulatorConnection> OpenConnections => _connections.Keys;

    public static async Task<DhanEmulator> StartAsync(DhanEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        // Parsed before anything listens: a bad spec fails without leaving a server behind.
        var faults = new DhanEmulatorFaults(new EmulatorFaults());
        if (options.Faults is { Length: > 0 } spec)
        {
            faults.Apply(spec);
        }

        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UtcNow, TimeZones.Kolkata).DateTime);
        var market = new DhanEmulatorMarket(options.Seed, today, options.StrikesEachSide);
        DhanEmulator? emulator = null;
        var rest = new DhanEmulatorRest(market, faults.Shared, options, () => Interlocked.Increment(ref emulator!._authRejections), (security, tick) => emulator!.OnSent(security, in tick, FeedMode.Full));
        app.Map("/", (HttpContext context) => emulator!.AcceptAsync(context, depth: false));
        app.Map("/twentydepth", (HttpContext context) => emulator!.AcceptAsync(context, depth: true));
        rest.Map(app);
        app.MapPost("/_emulator/faults", (string spec) => Results.Text(emulator!.SetFaults(spec)));
        app.MapPost("/_emulator/drop", () => Results.Text($"dropped {emulator!.DropConnections()} connections"));
        Uri address = await EmulatorHost.StartAsync(app, cancellationToken);
        emulator = new DhanEmulator(app, options, market, faults, address);
        return emulator;
    }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    public IReadOnlyList<string> Describe() =>
    [
        $"Dhan emulator on {RestUrl} (faults: {DhanFaults}). Point MarketFeed at it:",
        $"  MARKETFEED_Dhan__StreamUrl={StreamUrl} MARKETFEED_Dhan__DepthUrl={DepthUrl} MARKETFEED_Dhan__RestUrl={RestUrl.ToString().TrimEnd('/')} "
            + $"MARKETFEED_Dhan__ScripMasterUrl={RestUrl}api-data/api-scrip-master.csv MARKETFEED_Dhan__ClientId={_options.ClientId} MARKETFEED_Dhan__AccessToken={_options.AccessToken}",
        $"  Faults: POST {RestUrl}_emulator/faults?spec=… (shared faults, or {DhanEmulatorFaults.Names})",
    ];

    public string SetFaults(string spec)
    {
        DhanFaults.Apply(spec);
        return DhanFaults.ToString();
    }

    /// <summary>Aborts every client socket (main and depth) at once, as a network failure would.</summary>
    public int DropConnections() => EmulatorHost.AbortAll(_connections.Keys.Select(c => c.Socket));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropConnections();
        await _generator.ContinueWith(_ => { }, TaskScheduler.Default);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal void CountFrame() => Interlocked.Increment(ref _framesSent);

    internal void OnSent(DhanEmulatorSecurity security, in Tick tick, FeedMode mode) => Sent?.Invoke(security.NativeKey, tick, mode);

    internal void OnFuzzed(FuzzedFrame frame) => Fuzzed?.Invoke(frame);

    private async Task AcceptAsync(HttpContext context, bool depth)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (Faults.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new DhanEmulatorConnection(socket, depth, Interlocked.Increment(ref _opened), CountFrame);

        // Dhan accepts the socket, then says what is wrong with the credentials in a disconnect packet.
        int refusal = Faults.RejectAuth || context.Request.Query["token"] != _options.AccessToken ? 807
            : context.Request.Query["clientId"] != _options.ClientId ? 808
            : 0;
        if (refusal != 0)
        {
            Interlocked.Increment(ref _authRejections);
            await connection.DisconnectAsync(depth ? DhanDepthEncoder.Disconnect(refusal) : DhanEncoder.Disconnect(refusal), context.RequestAborted);
            return;
        }

        _connections[connection] = 0;
        await DropOldestBeyondLimitAsync(depth);
        try
        {
            await ReceiveAsync(connection, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>A sixth socket of one feed type drops the oldest with 805, as Dhan does.</summary>
    private async Task DropOldestBeyondLimitAsync(bool depth)
    {
        DhanEmulatorConnection[] open = [.. _connections.Keys.Where(c => c.Depth == depth).OrderBy(c => c.Opened)];
        foreach (DhanEmulatorConnection oldest in open.Take(Math.Max(0, open.Length - MaxConnections)))
        {
            await oldest.DisconnectAsync(depth ? DhanDepthEncoder.Disconnect(805) : DhanEncoder.Disconnect(805), CancellationToken.None);
        }
    }

    private async Task ReceiveAsync(DhanEmulatorConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[256 * 1024];
        while (connection.Socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result = await connection.Socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            string text = System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (!connection.Depth)
            {
                Received?.Invoke(text);
            }

            int disconnect = DhanControlMessages.Apply(connection, text, Market, out List<DhanEmulatorSecurity> subscribed, out FeedMode mode);
            if (disconnect != 0)
            {
                await connection.DisconnectAsync(connection.Depth ? DhanDepthEncoder.Disconnect(disconnect) : DhanEncoder.Disconnect(disconnect), cancellationToken);
                return;
            }

            if (!connection.Depth && subscribed.Count > 0 && !Faults.Silent)
            {
                // Dhan sends the previous close and open interest once on any subscription, before the first tick.
                DateTime now = DateTime.UtcNow;
                byte[] frame = DhanEncoder.Frame(subscribed.Select(s => DhanEncoder.PrevClose(s.Segment, s.SecurityId, Market.PrevClose(s, now), Market.PreviousOpenInterest(s, now))));
                await connection.SendAsync(frame, WebSocketMessageType.Binary, cancellationToken);
            }

            foreach (DhanEmulatorSecurity security in subscribed)
            {
                connection.Subscribed[(security.Key, mode)] = 0;
            }
        }
    }
}
