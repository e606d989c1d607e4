using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MarketFeed.Emulators;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Hosting;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>
/// A Kite Connect stand-in on 127.0.0.1 that speaks Kite's real bytes: the ticker WebSocket (credentials in the
/// query, JSON subscribe/unsubscribe/mode, binary multi-packet frames, 1-byte heartbeats, text messages) and the REST
/// endpoints for the instrument dump, quotes and historical candles — fed by the simulator, with injectable faults
/// (fuzzed frames included: see <see cref="KiteFuzzFrames"/>).
/// </summary>
public sealed class KiteEmulator : IVenueEmulator
{
    private readonly WebApplication _app;
    private readonly KiteEmulatorOptions _options;
    private readonly KiteEmulatorMarket _market;
    private readonly KiteFuzzFrames _fuzz;
    private readonly ConcurrentDictionary<KiteEmulatorConnection, byte> _connections = new();
    private readonly ConcurrentQueue<DateTime> _historicalRequests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _generator;
    private long _authRejections;
    private long _framesSent;

    private KiteEmulator(WebApplication app, KiteEmulatorOptions options, KiteEmulatorMarket market, EmulatorFaults faults, Uri address)
    {
        _app = app;
        Faults = faults;
        _options = options;
        _market = market;
        _fuzz = new KiteFuzzFrames(market);
        RestUrl = address;
        StreamUrl = new UriBuilder(address) { Scheme = "ws" }.Uri;
        _generator = Task.Run(() => GenerateAsync(_stopping.Token));
    }

    public Uri StreamUrl { get; }

    public Uri RestUrl { get; }

    public EmulatorFaults Faults { get; }

    public int Connections => _connections.Count;

    /// <summary>Every frame sent on every socket so far (heartbeats, text and fuzzed frames included).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Every packet sent, as (token, tick, mode): what tests compare the adapter's output with.</summary>
    public event Action<uint, Tick, FeedMode>? Sent;

    /// <summary>When each historical-candles request arrived (<see cref="KiteEmulatorOptions.Time"/>, in order, refused ones included): what rate-limit tests check.</summary>
    public IReadOnlyList<DateTime> HistoricalRequests => [.. _historicalRequests];

    /// <summary>Every fuzzed frame sent (the <c>fuzz</c> fault): never part of <see cref="Sent"/>.</summary>
    public event Action<FuzzedFrame>? Fuzzed;

    public IEnumerable<(uint Token, Instrument Instrument)> Instruments => _market.Instruments;

    public static async Task<KiteEmulator> StartAsync(KiteEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        EmulatorFaults faults = EmulatorFaults.FromSpec(options.Faults);

        WebApplication app = EmulatorHost.CreateLoopback(options.Port);
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(options.Time.GetUtcNow().UtcDateTime, TimeZones.Kolkata).DateTime);
        var market = new KiteEmulatorMarket(options.Seed, today, options.StrikesEachSide);
        KiteEmulator? emulator = null;
        app.Map("/", (HttpContext context) => emulator!.AcceptAsync(context));
        app.MapGet("/instruments", (HttpContext context) => emulator!.Rest(context, () => Results.Text(market.InstrumentsCsv(), "text/csv")));
        app.MapGet("/quote", (HttpContext context) => emulator!.Rest(context, () => emulator.Quotes(context, full: true)));
        app.MapGet("/quote/ltp", (HttpContext context) => emulator!.Rest(context, () => emulator.Quotes(context, full: false)));
        app.MapGet("/instruments/historical/{token}/{interval}", (HttpContext context, uint token, string interval, string from, string to, string? oi) =>
        {
            emulator!._historicalRequests.Enqueue(options.Time.GetUtcNow().UtcDateTime);
            return emulator.Rest(context, () => emulator.Historical(token, interval, from, to, oi == "1"));
        });
        app.MapPost("/_emulator/faults", (string spec) => Results.Text(emulator!.SetFaults(spec)));
        app.MapPost("/_emulator/drop", () => Results.Text($"dropped {emulator!.DropConnections()} connections"));
        Uri address = await EmulatorHost.StartAsync(app, cancellationToken);
        emulator = new KiteEmulator(app, options, market, faults, address);
        return emulator;
    }

    public Uri Address => EmulatorHost.RootOf(RestUrl);

    public IReadOnlyList<string> Describe() =>
    [
        $"Kite emulator on {RestUrl} (faults: {Faults}). Point MarketFeed at it:",
        $"  MARKETFEED_Kite__StreamUrl={StreamUrl} MARKETFEED_Kite__RestUrl={RestUrl.ToString().TrimEnd('/')} MARKETFEED_Kite__ApiKey={_options.ApiKey} MARKETFEED_Kite__AccessToken={_options.AccessToken}",
    ];

    public string SetFaults(string spec)
    {
        Faults.Apply(spec);
        return Faults.ToString();
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

    /// <summary>Stream upgrades and REST calls answered 403 (a rejected token or the <c>auth</c> fault).</summary>
    public long AuthRejections => Interlocked.Read(ref _authRejections);

    private bool Authorized(string? apiKey, string? accessToken)
    {
        bool ok = !Faults.RejectAuth && apiKey == _options.ApiKey && accessToken == _options.AccessToken;
        if (!ok)
        {
            Interlocked.Increment(ref _authRejections);
        }

        return ok;
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!Authorized(context.Request.Query["api_key"], context.Request.Query["access_token"]))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (Faults.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new KiteEmulatorConnection(socket, () => Interlocked.Increment(ref _framesSent));
        _connections[connection] = 0;
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

    private async Task ReceiveAsync(KiteEmulatorConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        while (connection.Socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result = await connection.Socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            string? error = Apply(connection, Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (error is not null)
            {
                string text = JsonSerializer.Serialize(new { type = "error", data = error });
                await connection.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);
            }
        }
    }

    /// <summary>Applies <c>{"a":"subscribe"|"unsubscribe"|"mode","v":…}</c>; returns an error text for the client, or null.</summary>
    private static string? Apply(KiteEmulatorConnection connection, string message)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(message);
            string action = json.RootElement.GetProperty("a").GetString() ?? "";
            JsonElement value = json.RootElement.GetProperty("v");
            switch (action)
            {
                case "subscribe":
                    foreach (JsonElement token in value.EnumerateArray())
                    {
                        if (connection.Modes.Count >= KiteEmulatorConnection.MaxTokens)
                        {
                            return $"too many instruments: at most {KiteEmulatorConnection.MaxTokens} per connection";
                        }

                        connection.Modes.TryAdd(token.GetUInt32(), FeedMode.Quote);
                    }

                    return null;
                case "unsubscribe":
                    foreach (JsonElement token in value.EnumerateArray())
                    {
                        connection.Modes.TryRemove(token.GetUInt32(), out _);
                    }

                    return null;
                case "mode":
                    FeedMode mode = value[0].GetString() switch { "ltp" => FeedMode.Ltp, "full" => FeedMode.Full, _ => FeedMode.Quote };
                    foreach (JsonElement token in value[1].EnumerateArray())
                    {
                        connection.Modes[token.GetUInt32()] = mode;
                    }

                    return null;
                default:
                    return $"unknown action '{action}'";
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return "invalid message: " + e.Message;
        }
    }

    /// <summary>Every step: due ticks for subscribed instruments, one multi-packet frame per connection, heartbeats when idle.</summary>
    private async Task GenerateAsync(CancellationToken cancellationToken)
    {
        var nextDue = new Dictionary<uint, DateTime>();
        TimeSpan every = TimeSpan.FromSeconds(1 / Math.Max(0.01, _options.TicksPerInstrumentPerSecond));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(every.TotalMilliseconds / 2, 5, 100)));
        int step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = _options.Time.GetUtcNow().UtcDateTime;
            var ticks = new Dictionary<uint, Tick>();
            foreach (uint token in _connections.Keys.SelectMany(c => c.Modes.Keys).Distinct())
            {
                if (_market.TryGetInstrument(token, out _) && (!nextDue.TryGetValue(token, out DateTime due) || now >= due))
                {
                    Tick tick = _market.Next(token, now);
                    Faults.Distort(ref tick);
                    ticks[token] = tick;
                    nextDue[token] = now + every;
                }
            }

            long oversized = Faults.TakeOversizedFrame();
            foreach (KiteEmulatorConnection connection in _connections.Keys)
            {
                if (Faults.Silent)
                {
                    continue;
                }

                if (oversized > 0)
                {
                    // Zeros, sent in pieces so the emulator itself never holds it: the client must never keep it either.
                    await connection.SendLargeAsync(oversized, cancellationToken);
                }

                try
                {
                    await SendStepAsync(connection, ticks, now, step, cancellationToken);
                    await SendFuzzedAsync(connection, now, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private async Task SendStepAsync(KiteEmulatorConnection connection, Dictionary<uint, Tick> ticks, DateTime now, int step, CancellationToken cancellationToken)
    {
        var packets = new List<byte[]>();
        foreach ((uint token, FeedMode mode) in connection.Modes)
        {
            if (ticks.TryGetValue(token, out Tick tick))
            {
                packets.Add(KiteEncoder.Packet(token, in tick, mode));
                Sent?.Invoke(token, tick, mode);
            }
        }

        if (Faults.Malformed && step % 5 == 0)
        {
            // A frame claiming two packets with one present, a packet of a length Kite never sends, and text that is not JSON.
            await connection.SendAsync(new byte[] { 0, 2, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1 }, WebSocketMessageType.Binary, cancellationToken);
            await connection.SendAsync(KiteEncoder.Frame([new byte[] { 0, 0, 1, 1, 9, 9, 9 }]), WebSocketMessageType.Binary, cancellationToken);
            await connection.SendAsync("{not json"u8.ToArray(), WebSocketMessageType.Text, cancellationToken);
        }

        if (Faults.OddText && step % 5 == 1)
        {
            foreach (string odd in EmulatorFaults.OddTextFrames)
            {
                await connection.SendAsync(Encoding.UTF8.GetBytes(odd), WebSocketMessageType.Text, cancellationToken);
            }
        }

        if (packets.Count > 0)
        {
            await connection.SendAsync(KiteEncoder.Frame(packets), WebSocketMessageType.Binary, cancellationToken);
        }
        else if (now - connection.LastSentUtc >= _options.HeartbeatInterval)
        {
            await connection.SendAsync(new byte[] { 0 }, WebSocketMessageType.Binary, cancellationToken);
        }
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(KiteEmulatorConnection connection, DateTime now, CancellationToken cancellationToken)
    {
        if (Faults.Fuzz is not { } settings)
        {
            return;
        }

        uint[] targets = [.. connection.Modes.Keys.Where(t => settings.IsTarget(KiteFuzzFrames.Key(t)) && _market.TryGetInstrument(t, out _)).Order()];
        if (targets.Length == 0)
        {
            return;
        }

        FrameFuzzer fuzzer = _fuzz.For(settings);
        for (int i = 0; i < settings.FramesPerStep && (settings.Limit == 0 || fuzzer.Produced < settings.Limit); i++)
        {
            FuzzedFrame frame;
            try
            {
                frame = fuzzer.Next(text => _fuzz.Valid(fuzzer, targets, text, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected instruments: fuzzing stops, the emulator goes on.
                Faults.Apply("-fuzz");
                return;
            }

            if (await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken))
            {
                Fuzzed?.Invoke(frame);
            }
        }
    }

    private IResult Rest(HttpContext context, Func<IResult> answer)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        string[] parts = authorization.StartsWith("token ", StringComparison.Ordinal) ? authorization[6..].Split(':', 2) : [];
        if (parts.Length != 2 || !Authorized(parts[0], parts[1]))
        {
            return Results.Json(new { status = "error", error_type = "TokenException", message = "Incorrect `api_key` or `access_token`." }, statusCode: 403);
        }

        if (Faults.RestDown)
        {
            return Results.Text("Service Unavailable", "text/plain", statusCode: 503);
        }

        if (Faults.TakeRateLimit())
        {
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(new { status = "error", error_type = "NetworkException", message = "Too many requests" }, statusCode: 429);
        }

        return answer();
    }

    private IResult Quotes(HttpContext context, bool full)
    {
        DateTime now = _options.Time.GetUtcNow().UtcDateTime;
        var data = new Dictionary<string, object>();
        foreach (string symbol in context.Request.Query["i"].OfType<string>())
        {
            if (!_market.TryGetToken(symbol, out uint token))
            {
                continue;
            }

            Tick t = _market.Latest(token, now);
            data[symbol] = full ? QuoteJson(token, in t) : new { instrument_token = token, last_price = t.Ltp.ToDecimal() };
        }

        return Results.Json(new { status = "success", data });
    }

    private static object QuoteJson(uint token, in Tick t)
    {
        string time = TimeZones.ToZone(t.ExchangeTime, TimeZones.Kolkata).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        object Side(DepthLevels levels, int count) => Enumerable.Range(0, count)
            .Select(i => new { price = levels[i].Price.ToDecimal(), quantity = (long)levels[i].Quantity.ToDecimal(), orders = levels[i].Orders })
            .ToArray();
        return new
        {
            instrument_token = token,
            timestamp = time,
            last_trade_time = time,
            last_price = t.Ltp.ToDecimal(),
            last_quantity = t.Ltq.HasValue ? (long)t.Ltq.ToDecimal() : 0,
            volume = t.Volume.HasValue ? (long)t.Volume.ToDecimal() : 0,
            average_price = t.Atp.HasValue ? t.Atp.ToDecimal() : 0,
            oi = t.Oi.HasValue ? (long)t.Oi.ToDecimal() : 0,
            net_change = t.Change.HasValue ? t.Change.ToDecimal() : 0,
            ohlc = new { open = t.Open.ToDecimal(), high = t.High.ToDecimal(), low = t.Low.ToDecimal(), close = t.Close.ToDecimal() },
            depth = new { buy = Side(t.Depth.Bids, t.Depth.BidCount), sell = Side(t.Depth.Asks, t.Depth.AskCount) },
        };
    }

    private IResult Historical(uint token, string interval, string from, string to, bool withOi)
    {
        var map = new Dictionary<string, string> { ["minute"] = "1m", ["3minute"] = "3m", ["5minute"] = "5m", ["10minute"] = "10m", ["15minute"] = "15m", ["30minute"] = "30m", ["60minute"] = "1h", ["day"] = "1d" };
        if (!map.TryGetValue(interval, out string? label) || !_market.TryGetInstrument(token, out Instrument? instrument))
        {
            return Results.Json(new { status = "error", error_type = "InputException", message = "invalid token or interval" }, statusCode: 400);
        }

        DateTime ParseIst(string text) => TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), TimeZones.Kolkata);
        // Kite's from and to bound the candles' timestamps (their starts), both inclusive: a day candle of the day `to`
        // falls in is there once it has closed. One walk back from now for every request, as the venue's history is one.
        DateTime now = _options.Time.GetUtcNow().UtcDateTime, toUtc = ParseIst(to);
        var candles = Faults.Revise(_market.History(token, MarketFeed.Candles.CandleInterval.Parse(label), ParseIst(from), now)
            .Where(c => c.Start <= toUtc && c.End <= now).ToList(), instrument.TickSize)
            .Select(c => new object[]
            {
                TimeZones.ToZone(c.Start, TimeZones.Kolkata).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).Remove(22, 1),
                c.Open.ToDecimal(), c.High.ToDecimal(), c.Low.ToDecimal(), c.Close.ToDecimal(), (long)c.Volume.ToDecimal(),
            }
            .Concat(withOi ? [(long)_market.CandleOpenInterest(token, c.Start, now).ToDecimal()] : Array.Empty<object>())
            .ToArray());
        return Results.Json(new { status = "success", data = new { candles } });
    }
}
