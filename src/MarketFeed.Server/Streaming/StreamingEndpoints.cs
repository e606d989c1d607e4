using System.Net.WebSockets;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Server.Api;
using MarketFeed.Server.Metrics;
using MarketFeed.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Server.Streaming;

/// <summary><c>/ws</c> (multiplexed), <c>/ws/ticks/{symbol}</c>, <c>/ws/candles/{symbol}</c> and SSE <c>/api/stream</c>.</summary>
internal sealed class StreamingEndpoints : IAsyncDisposable
{
    private readonly MarketFeedHost _host;
    private readonly ServerOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly OriginPolicy _origins;
    private readonly ClientRegistry _clients;
    private readonly TickMessageCache _tickCache = new();
    private readonly TickFanout _fanout;

    public StreamingEndpoints(MarketFeedHost host, ServerOptions options, GatewayMetrics metrics, OriginPolicy origins)
    {
        _host = host;
        _options = options;
        _metrics = metrics;
        _origins = origins;
        _clients = new ClientRegistry(options);
        _fanout = new TickFanout(host, _tickCache);
        metrics.ObserveFanout(() => _fanout.ClientConflated, () => _tickCache.Encodes);
    }

    public ValueTask DisposeAsync() => _fanout.DisposeAsync();

    public int ClientCount => _clients.Count;

    public void Map(IEndpointRouteBuilder app)
    {
        app.Map("/ws", context => AcceptAsync(context, initial: null));
        app.Map("/ws/ticks/{symbol}", (HttpContext context, string symbol) =>
            AcceptAsync(context, new ClientRequest("subscribe", [EncodedSlashes.Decode(symbol)], ["ticks"])));
        app.Map("/ws/candles/{symbol}", (HttpContext context, string symbol, string? interval) =>
            AcceptAsync(context, new ClientRequest("subscribe", [EncodedSlashes.Decode(symbol)], ["candles:" + (interval ?? "1m")])));
        app.MapGet("/api/stream", StreamEventsAsync).WithSummary("Server-Sent Events: ?symbols=A,B&channels=ticks,candles:1m; option chains: ?symbols=NIFTY&channels=chain (or chain:EXPIRY:STRIKES)")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private async Task AcceptAsync(HttpContext context, ClientRequest? initial)
    {
        if (await RefusedOriginAsync(context))
        {
            return;
        }

        if (!WebSocketHandshake.IsUpgradeRequest(context))
        {
            await Problems.BadRequest("this endpoint speaks WebSocket: connect with a WebSocket client").ExecuteAsync(context);
            return;
        }

        if (initial is not null && !TryValidate(initial, out IResult? problem))
        {
            await problem.ExecuteAsync(context);
            return;
        }

        if (!_clients.TryEnter())
        {
            await Problems.Unavailable($"the gateway already serves {_options.MaxClients} streaming clients").ExecuteAsync(context);
            return;
        }

        try
        {
            (WebSocket socket, BatchingStream stream) = await WebSocketHandshake.AcceptAsync(context, TimeSpan.FromSeconds(30));
            using (socket)
            {
                await ServeAsync(socket, stream, initial, context.RequestAborted);
            }
        }
        finally
        {
            _clients.Leave();
        }
    }

    private async Task ServeAsync(WebSocket socket, BatchingStream stream, ClientRequest? initial, CancellationToken aborted)
    {
        _metrics.ClientConnected();
        await using var session = new ClientSession(_host, _options, _metrics, _fanout, _tickCache, new WebSocketTransport(socket, stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        try
        {
            if (initial is not null)
            {
                await session.HandleAsync(initial);
            }

            // Whichever side ends first ends the session: the client (close, oversized message) or the writer (too slow).
            Task<string?> writer = Task.Run(() => session.RunWriterAsync(stop.Token), CancellationToken.None);
            Task<string?> receiver = ReceiveLoopAsync(socket, session, stop.Token);
            Task<string?> first = await Task.WhenAny(writer, receiver);
            string? reason = first.IsCompletedSuccessfully ? first.Result : null;
            if (reason is not null)
            {
                _metrics.Disconnected(reason.StartsWith("slow", StringComparison.Ordinal) ? "slow_consumer" : "policy_violation");
                await CloseWithin(session.CloseAsync(reason, policyViolation: true), TimeSpan.FromSeconds(2));
            }
            else if (first == receiver && socket.State == WebSocketState.CloseReceived)
            {
                await CloseWithin(socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None), TimeSpan.FromSeconds(2));
            }

            await stop.CancelAsync();
            await Task.WhenAll(writer, receiver).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away: nothing to tell it.
        }
        finally
        {
            await stop.CancelAsync();
            _metrics.ClientDisconnected();
        }
    }

    /// <summary>A close handshake may never complete against a client that stopped reading; do not wait for it forever.</summary>
    private static async Task CloseWithin(Task close, TimeSpan limit)
    {
        try
        {
            await close.WaitAsync(limit);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
        }
    }

    /// <summary>Reads client messages until the client closes (null) or a message breaks a limit (the reason).</summary>
    private async Task<string?> ReceiveLoopAsync(WebSocket socket, ClientSession session, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[_options.MaxMessageBytes + 1];
        while (socket.State == WebSocketState.Open)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length >= buffer.Length)
                {
                    return $"message too large: at most {_options.MaxMessageBytes} bytes";
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (length > _options.MaxMessageBytes)
            {
                return $"message too large: at most {_options.MaxMessageBytes} bytes";
            }

            if (ClientRequest.TryParse(buffer.AsSpan(0, length), out ClientRequest? request, out string? error))
            {
                await session.HandleAsync(request!);
            }
            else
            {
                session.Error(error!);
            }
        }

        return null;
    }

    private async Task StreamEventsAsync(HttpContext context, string? symbols, string? channels)
    {
        // CORS already keeps an unlisted page from reading this response; refusing it here also keeps it from
        // holding a client slot and subscriptions it cannot use.
        if (await RefusedOriginAsync(context))
        {
            return;
        }

        var request = new ClientRequest(
            "subscribe",
            (symbols ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            (channels ?? "ticks").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (!TryValidate(request, out IResult? problem))
        {
            await problem.ExecuteAsync(context);
            return;
        }

        if (!_clients.TryEnter())
        {
            await Problems.Unavailable($"the gateway already serves {_options.MaxClients} streaming clients").ExecuteAsync(context);
            return;
        }

        _metrics.ClientConnected();
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            var transport = new ServerSentEventsTransport(context.Response);
            await using var session = new ClientSession(_host, _options, _metrics, _fanout, _tickCache, transport);
            await session.HandleAsync(request);
            string? reason = await session.RunWriterAsync(context.RequestAborted);
            if (reason is not null)
            {
                _metrics.Disconnected("slow_consumer");
                await session.CloseAsync(reason, policyViolation: true);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _clients.Leave();
            _metrics.ClientDisconnected();
        }
    }

    private async Task<bool> RefusedOriginAsync(HttpContext context)
    {
        if (_origins.Refusal(context.Request) is not { } refusal)
        {
            return false;
        }

        _metrics.OriginRejected();
        await refusal.ExecuteAsync(context);
        return true;
    }

    /// <summary>Checks a request made in the URL before upgrading, so a bad symbol is an HTTP problem, not a dead socket.</summary>
    private bool TryValidate(ClientRequest request, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        problem = null;
        if (request.Symbols.Count == 0)
        {
            problem = Problems.BadRequest("give the symbols to stream: ?symbols=NSE:INFY,NSE:TCS");
            return false;
        }

        if (request.Symbols.Count > _options.MaxSymbolsPerClient)
        {
            problem = Problems.BadRequest($"a client may hold at most {_options.MaxSymbolsPerClient} symbols");
            return false;
        }

        try
        {
            if (ClientChains.IsChainRequest(request.Channels))
            {
                ClientChains.Validate(_host, request.Symbols, request.Channels);
                return true;
            }

            StreamChannels.Parse(request.Channels);
            foreach (string symbol in request.Symbols)
            {
                _host.Resolve(symbol);
            }
        }
        catch (UnknownSymbolException e)
        {
            problem = Problems.UnknownSymbol(e);
        }
        catch (ClientRequestException e)
        {
            problem = Problems.BadRequest(e.Message);
        }
        catch (Chains.NoOptionsException e)
        {
            problem = Problems.NoOptions(e);
        }
        catch (Chains.UnknownExpiryException e)
        {
            problem = Problems.UnknownExpiry(e);
        }

        return problem is null;
    }
}
