using System.Net.WebSockets;
using System.Text;

namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// One WebSocket client of the soak: subscribes its symbols to ticks, reads every message whole, hands it to its
/// <see cref="TickChecker"/>, and keeps the time of its last tick for the stall check. It never reconnects: a socket
/// the gateway closes is a failure of the run.
/// </summary>
internal sealed class SoakClient(int index, Uri uri, string[] symbols, TickChecker checker, LatencyRecorder latencies, TimeProvider time)
{
    /// <summary>One latency sample per this many ticks keeps the recorder small at full rate.</summary>
    private const int LatencyEvery = 4;

    private long _lastTick;
    private string? _failure;

    public int Index => index;

    public IReadOnlyList<string> Symbols => symbols;

    public TickChecker Checker => checker;

    /// <summary>Test hook: rewrites each received message before it is checked (proves the checks can fail).</summary>
    public Func<string, string>? Tamper { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last tick received; 0 before the first.</summary>
    public long LastTickTimestamp => Interlocked.Read(ref _lastTick);

    public string? Failure => Volatile.Read(ref _failure);

    public async Task RunAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, stop);
            string subscribe = "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', symbols.Select(s => "\"" + s + "\"")) + "],\"channels\":[\"ticks\"]}";
            await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, stop);
            byte[] buffer = new byte[16 * 1024];
            long ticks = 0;
            while (!stop.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Fail($"closed by the gateway: {socket.CloseStatus} {socket.CloseStatusDescription}");
                    return;
                }

                ReadOnlySpan<byte> message = buffer.AsSpan(0, length);
                if (Tamper is { } tamper)
                {
                    message = Encoding.UTF8.GetBytes(tamper(Encoding.UTF8.GetString(message)));
                }

                if (checker.Check(message, time.GetUtcNow(), out double latency))
                {
                    Interlocked.Exchange(ref _lastTick, time.GetTimestamp());
                    if (++ticks % LatencyEvery == 0)
                    {
                        latencies.Add(latency);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            Fail(e.Message);
        }
    }

    private void Fail(string reason) => Volatile.Write(ref _failure, $"client {index}: {reason}");
}
