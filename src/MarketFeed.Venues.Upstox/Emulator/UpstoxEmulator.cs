using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// An Upstox v3 stand-in on 127.0.0.1 that speaks Upstox's real bytes: the authorize endpoint handing out single-use
/// socket URLs, the protobuf WebSocket (<c>market_info</c> first, <c>initial_feed</c> after each subscribe, then
/// <c>live_feed</c>; subscriptions as JSON in binary frames, per-mode key limits), and REST for the instrument file,
/// LTP quotes and historical/intraday candles — fed by the simulator, with the shared faults (fuzzed frames included).
/// </summary>
public sealed partial class UpstoxEmulator : IVenueEmulator
{
    public const string SocketPath = "/v3/feed/market-data-feed/socket";
    public const string InstrumentsPath = "/market-quote/instruments/exchange/complete.json.gz";

    private readonly WebApplication _app;
    private readonly UpstoxEmulatorOptions _options;
    private readonly UpstoxEmulatorMarket _market;
    private readonly UpstoxFuzzFrames _fuzz;
    private readonly ConcurrentDictionary<UpstoxEmulatorConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, byte> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UpstoxSegmentStatus> _segments = new(StringComparer.Ordinal);
    private readonly Lazy<byte[]> _instrumentFile;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _generator;
    private long _authRejections;
    private long _framesSent;
    private long _authorizations;

    private UpstoxEmulator(WebApplication app, UpstoxEmulatorOptions options, UpstoxEmulatorMarket market, EmulatorFaults faults, Uri address)
    {
        _app = app;
        _options = options;
        _market = market;
        _fuzz = new UpstoxFuzzFrames(market);
        Faults = faults;
        RestUrl = address;
        InstrumentsUrl = new Uri(address, InstrumentsPath);
        foreach (string segment in new[] { "NSE_EQ", "NSE_FO", "NSE_INDEX", "BSE_EQ", "BSE_FO", "BSE_INDEX", "MCX_FO", "NCD_FO", "BCD_FO" })
        {
            _segments[segment] = UpstoxSegmentStatus.NormalOpen;
        }

        _instrumentFile = new(() => InstrumentFile(market));
        _generator = Task.Run(() => GenerateAsync(_stopping.Token));
    }

    public Uri RestUrl { get; }

    public Uri InstrumentsUrl { get; }

    public EmulatorFaults Faults { get; }

    public int Connections => _connections.Count;

    /// <summary>Every frame sent on every socket so far (market_info, text and fuzzed frames included).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Authorize calls, socket upgrades and REST calls refused for the token (or the <c>auth</c> fault).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    /// <summary>Authorize calls answered with a socket URL.</summary>
    public long Authorizations => Interlocked.Read(ref _authorizations);

    /// <summary>Every feed sent, as (instrument key, tick, Greeks, mode): what tests compare the adapter's output with.</summary>
    public event Action<string, Tick, OptionGreeks?, string>? Sent;

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    public IEnumerable<(string Key, Instrument Instrument)> Instruments => _market.Instruments;

    public static async Task<UpstoxEmulator> StartAsync(UpstoxEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        EmulatorFaults faults = EmulatorFaults.FromSpec(options.Faults);

        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UtcNow, TimeZones.Kolkata).DateTime);
        var market = new UpstoxEmulatorMarket(options.Seed, today, options.StrikesEachSide);
        UpstoxEmulator? emulator = null;
        app.MapGet("/v3/feed/market-data-feed/authorize", (HttpContext context) => emulator!.Rest(context, emulator.Authorize));
        app.Map(SocketPath, (HttpContext context) => emulator!.AcceptAsync(context));
        app.MapGet(InstrumentsPath, () => Results.Bytes(emulator!._instrumentFile.Value, "application/gzip"));
        app.MapGet("/v3/market-quote/ltp", (HttpContext context) => emulator!.Rest(context, () => emulator.Ltp(context)));
        app.MapGet("/v3/historical-candle/intraday/{key}/{unit}/{interval}", (HttpContext context, string key, string unit, int interval) =>
            emulator!.Rest(context, () => emulator.Intraday(key, unit, interval)));
        app.MapGet("/v3/historical-candle/{key}/{unit}/{interval}/{to}/{from?}", (HttpContext context, string key, string unit, int interval, string to, string? from) =>
            emulator!.Rest(context, () => emulator.Historical(key, unit, interval, to, from)));
        app.MapPost("/_emulator/faults", (string spec) => Results.Text(emulator!.SetFaults(spec)));
        app.MapPost("/_emulator/drop", () => Results.Text($"dropped {emulator!.DropConnections()} connections"));
        app.MapPost("/_emulator/segment", (string segment, UpstoxSegmentStatus status) => Results.Text(emulator!.SetSegmentStatus(segment, status)));
        Uri address = await EmulatorHost.StartAsync(app, cancellationToken);
        emulator = new UpstoxEmulator(app, options, market, faults, address);
        return emulator;
    }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    public IReadOnlyList<string> Describe() =>
    [
        $"Upstox v3 emulator on {RestUrl} (faults: {Faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Upstox__RestUrl={RestUrl.ToString().TrimEnd('/')} MARKETFEED_Upstox__InstrumentsUrl={InstrumentsUrl} MARKETFEED_Upstox__AccessToken={_options.AccessToken}",
        $"  Market status per segment: POST {RestUrl}_emulator/segment?segment=NSE_EQ&status=NormalClose",
    ];

    public string SetFaults(string spec)
    {
        Faults.Apply(spec);
        return Faults.ToString();
    }

    /// <summary>Sets a segment's market status and tells every connection (a <c>market_info</c> frame); a closed segment's instruments go quiet.</summary>
    public string SetSegmentStatus(string segment, UpstoxSegmentStatus status)
    {
        _segments[segment] = status;
        byte[] frame = UpstoxFrames.MarketInfo(_segments, DateTime.UtcNow);
        foreach (UpstoxEmulatorConnection connection in _connections.Keys)
        {
            _ = connection.SendAsync(frame, WebSocketMessageType.Binary, _stopping.Token);
        }

        return $"{segment} {status}";
    }

    /// <summary>Aborts every client socket at once, as a network failure would.</summary>
    public int DropConnections() => EmulatorHost.AbortAll(_connections.Keys.Select(c => c.Socket));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropConnections();
        await _generator.ContinueWith(_ => { }, TaskScheduler.Default);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static byte[] InstrumentFile(UpstoxEmulatorMarket market)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, market.Rows, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        }

        return buffer.ToArray();
    }

    private bool Authorized(HttpContext context)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        bool ok = !Faults.RejectAuth && authorization == "Bearer " + _options.AccessToken;
        if (!ok)
        {
            Interlocked.Increment(ref _authRejections);
        }

        return ok;
    }

    private IResult Authorize()
    {
        string code = Guid.NewGuid().ToString();
        _codes[code] = 0;
        Interlocked.Increment(ref _authorizations);
        var socket = new UriBuilder(RestUrl) { Scheme = "ws", Path = SocketPath, Query = $"requestId={Guid.NewGuid()}&code={code}" }.Uri.ToString();
        return Results.Json(new { status = "success", data = new { authorized_redirect_uri = socket, authorizedRedirectUri = socket } });
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // The authorized URL works once: a reused or unknown code is refused as Upstox does (403).
        if (!_codes.TryRemove(context.Request.Query["code"].ToString(), out _))
        {
            Interlocked.Increment(ref _authRejections);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (Faults.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new UpstoxEmulatorConnection(socket, () => Interlocked.Increment(ref _framesSent));
        _connections[connection] = 0;
        try
        {
            if (!Faults.Silent)
            {
                await connection.SendAsync(UpstoxFrames.MarketInfo(_segments, DateTime.UtcNow), WebSocketMessageType.Binary, context.RequestAborted);
            }

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

    private static async Task ReceiveAsync(UpstoxEmulatorConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1024 * 1024];
        while (connection.Socket.State == WebSocketState.Open)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && length < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            // Upstox reads requests from binary frames only, and answers none of them (no ack, no error frame).
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                UpstoxEmulatorRequests.Apply(connection, buffer.AsSpan(0, length));
            }
        }
    }
}
