using System.Diagnostics;
using System.Net.WebSockets;
using MarketFeed.Emulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Emulators.Replay;

/// <summary>
/// Stands in for the venue of a raw recording, on 127.0.0.1, so the venue's own feed, decoder and feed session
/// re-derive what the recording holds: each WebSocket the feed opens gets the next recorded connection life (one
/// recorded for the same path first), whose venue frames are sent in order — the first once the feed has sent what it
/// had sent before it (its subscriptions), all paced by the recorded times at <see cref="RawReplayOptions.Speed"/> —
/// and then closed if the recorded one was. REST requests are answered with the recorded answers (<see cref="RecordedRestAnswers"/>).
/// Point the venue's feed at <see cref="Address"/> with its module's <c>ConfigurationFor</c>.
/// </summary>
public sealed class RawReplayServer : IAsyncDisposable
{
    private readonly RawRecording _recording;
    private readonly RawReplayOptions _options;
    private readonly WebApplication _app;
    private readonly bool[] _taken;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<WebSocket> _sockets = [];
    private readonly Lock _lock = new();
    private long _startedAt;
    private long _framesSent;
    private long _feedMessages;
    private int _played;

    private RawReplayServer(RawRecording recording, RawReplayOptions options)
    {
        _recording = recording;
        _options = options;
        _taken = new bool[recording.Connections.Count];
        _app = EmulatorHost.CreateLoopback(options.Port);
        _app.Run(HandleAsync);
    }

    /// <summary>Where the replay listens (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Messages the feed has sent on its sockets so far.</summary>
    public long FeedMessages => Interlocked.Read(ref _feedMessages);

    /// <summary>Venue frames sent so far.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>What the replay is doing (for diagnostics).</summary>
    public string? State { get; private set; }

    /// <summary>The last socket the feed ended early, and how (for diagnostics).</summary>
    public string? LastError { get; private set; }

    /// <summary>Every recorded connection life has been served and all its venue frames sent.</summary>
    public bool Finished => Volatile.Read(ref _played) == _recording.Connections.Count;

    public static async Task<RawReplayServer> StartAsync(RawRecording recording, RawReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new RawReplayServer(recording, options ?? new RawReplayOptions());
        server.Address = await EmulatorHost.StartAsync(server._app, cancellationToken).ConfigureAwait(false);
        recording.Rest.RewriteOrigins(recording.EndpointOrigins(), new UriBuilder(server.Address) { Scheme = "ws" }.Uri.GetLeftPart(UriPartial.Authority));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_lock)
        {
            EmulatorHost.AbortAll(_sockets);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            byte[]? body = _recording.Rest.Answer(context.Request.Path.Value ?? "/", context.Request.QueryString.Value?.TrimStart('?') ?? "");
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsync($"the recording has no answer for {context.Request.Path}", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = body.Length > 0 && body[0] is (byte)'{' or (byte)'[' ? "application/json" : "application/octet-stream";
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        RecordedConnection? life = Take(context.Request.Path.Value ?? "/");
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _sockets.Add(socket);
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        var received = new Received(() => Interlocked.Increment(ref _feedMessages));
        Task reading = ReadAsync(socket, received, ended.Token);
        bool played = false;
        try
        {
            if (life is not null)
            {
                await PlayAsync(socket, life, received, ended.Token).ConfigureAwait(false);
                played = true;
                Interlocked.Increment(ref _played);
                if (life.EndedBecause is not null)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "recorded connection ended", ended.Token).ConfigureAwait(false);
                }
            }

            // Past the recording (or after the close), the socket stays as quiet as the recording is.
            await reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            if (life is not null && !played && !_stopping.IsCancellationRequested)
            {
                // The feed closed this socket before its recorded life was over: that life is done (a new socket gets the next one).
                Interlocked.Increment(ref _played);
                LastError = $"connection {life.Connection} ended by the feed after {life.Frames.Count} recorded frames: {e.GetType().Name}: {e.Message}";
            }
        }
        finally
        {
            lock (_lock)
            {
                _sockets.Remove(socket);
            }
        }
    }

    /// <summary>The next unserved life recorded for <paramref name="path"/>, else the next unserved one; null when all were served.</summary>
    private RecordedConnection? Take(string path)
    {
        lock (_lock)
        {
            int pick = -1;
            for (int i = 0; i < _taken.Length && pick < 0; i++)
            {
                pick = !_taken[i] && _recording.Connections[i].Path == path ? i : -1;
            }

            for (int i = 0; i < _taken.Length && pick < 0; i++)
            {
                pick = !_taken[i] ? i : -1;
            }

            if (pick < 0)
            {
                return null;
            }

            _taken[pick] = true;
            if (_startedAt == 0)
            {
                _startedAt = Stopwatch.GetTimestamp();
            }

            return _recording.Connections[pick];
        }
    }

    private async Task PlayAsync(WebSocket socket, RecordedConnection life, Received received, CancellationToken cancellationToken)
    {
        var sentByFeed = new List<ReadOnlyMemory<byte>>();
        bool answered = false;
        foreach (RecordedFrame frame in life.Frames)
        {
            if (!frame.Inbound)
            {
                sentByFeed.Add(frame.Bytes);
                continue;
            }

            if (!answered)
            {
                // The venue's first frame answers what the feed sent on opening (its subscriptions): wait for the same.
                State = $"connection {life.Connection}: waiting for the feed's first {sentByFeed.Count} messages (has {received.Count})";
                await received.WaitForAsync(sentByFeed, _options.ReplyWait, cancellationToken).ConfigureAwait(false);
                answered = true;
            }

            if (_options.Speed > 0)
            {
                TimeSpan due = (frame.At - _recording.Start) / _options.Speed - Stopwatch.GetElapsedTime(_startedAt);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
            }

            State = $"connection {life.Connection}: sending frame at {frame.At:HH:mm:ss.fff}";
            await socket.SendAsync(frame.Bytes, frame.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _framesSent);
        }

        State = $"connection {life.Connection}: played";
    }

    /// <summary>Collects the feed's messages until it closes the socket.</summary>
    private static async Task ReadAsync(WebSocket socket, Received received, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    received.Add(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>The messages a feed sent on one socket (the first <see cref="Kept"/>: only the opening ones are ever compared).</summary>
    private sealed class Received(Action counted)
    {
        private const int Kept = 256;

        /// <summary>How long the feed must stay quiet after sending as many messages as recorded (when they differ in content).</summary>
        private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

        private readonly SemaphoreSlim _arrived = new(0);
        private readonly List<byte[]> _messages = [];
        private readonly Lock _lock = new();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(byte[] message)
        {
            lock (_lock)
            {
                if (_messages.Count < Kept)
                {
                    _messages.Add(message);
                }
            }

            Interlocked.Increment(ref _count);
            counted();
            _arrived.Release();
        }

        /// <summary>
        /// Until the feed has sent what it sent in the recording, at most <paramref name="most"/>: every one of
        /// <paramref name="expected"/> byte for byte (in any order), or — for messages that differ per run (request
        /// ids, GUIDs) — as many messages followed by <see cref="Settle"/> of quiet. Counting alone is not enough: a
        /// feed that opened before it had anything to subscribe first sends a probe, and venue frames played after the
        /// probe would reach a hub that does not want them yet.
        /// </summary>
        public async Task WaitForAsync(IReadOnlyList<ReadOnlyMemory<byte>> expected, TimeSpan most, CancellationToken cancellationToken)
        {
            long started = Stopwatch.GetTimestamp();
            while (!HasSent(expected))
            {
                TimeSpan left = most - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                bool enough = Count >= expected.Count;
                bool arrived = await _arrived.WaitAsync(enough && Settle < left ? Settle : left, cancellationToken).ConfigureAwait(false);
                if (!arrived && enough)
                {
                    return;
                }
            }
        }

        private bool HasSent(IReadOnlyList<ReadOnlyMemory<byte>> expected)
        {
            lock (_lock)
            {
                var used = new bool[_messages.Count];
                foreach (ReadOnlyMemory<byte> wanted in expected)
                {
                    int match = _messages.FindIndex(m => wanted.Span.SequenceEqual(m));
                    while (match >= 0 && used[match])
                    {
                        match = _messages.FindIndex(match + 1, m => wanted.Span.SequenceEqual(m));
                    }

                    if (match < 0)
                    {
                        return false;
                    }

                    used[match] = true;
                }

                return true;
            }
        }
    }
}
