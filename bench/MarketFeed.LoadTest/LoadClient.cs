using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace MarketFeed.LoadTest;

/// <summary>
/// One WebSocket client: subscribes its symbols, reads everything, counts the ticks it receives (one per frame, or
/// several in a batched frame) and samples latency from a tick's receiveTime. A frozen client subscribes and then
/// never reads again.
/// </summary>
internal sealed class LoadClient(Uri uri, string[] symbols, bool batch = false, bool frozen = false)
{
    private static readonly byte[] s_receiveTime = "\"receiveTime\":\""u8.ToArray();
    private static readonly byte[] s_tick = "{\"type\":\"tick\""u8.ToArray();

    public long Messages;
    public readonly List<double> LatenciesMs = new(100_000);

    /// <summary>The measuring window each latency sample fell in (<see cref="Window"/> when it was taken), index for index.</summary>
    public readonly List<int> SampleWindows = new(100_000);
    public string? Failure;

    /// <summary>Which measuring window is running (the frozen-client phase alternates windows with and without one).</summary>
    public volatile int Window;

    public IReadOnlyList<string> Symbols => symbols;

    /// <summary>Latency is sampled only while measuring (after the warm-up), in one frame of <see cref="SampleEvery"/>.</summary>
    public volatile bool Measuring;

    private const int SampleEvery = 8;
    private long _frames;

    /// <summary>Clients read with a bounded receive buffer, as a latency-sensitive consumer would.</summary>
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveBufferSize = 64 * 1024,
            };
            await socket.ConnectAsync(context.DnsEndPoint, token);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    });

    /// <summary>The subscribe message this client sends (also what the tests check the harness asks for).</summary>
    public string SubscribeMessage =>
        "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', symbols.Select(s => "\"" + s + "\"")) + "],\"channels\":[\"ticks\"]"
        + (batch ? ",\"batch\":true}" : "}");

    public async Task RunAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, Invoker, stop);
            await socket.SendAsync(Encoding.UTF8.GetBytes(SubscribeMessage), WebSocketMessageType.Text, true, stop);
            if (frozen)
            {
                await Task.Delay(Timeout.Infinite, stop);
            }

            byte[] buffer = new byte[16 * 1024];
            int length = 0;
            while (!stop.IsCancellationRequested)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure = $"closed by server: {socket.CloseStatus} {socket.CloseStatusDescription}";
                    return;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    OnFrame(buffer.AsSpan(0, length));
                    length = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            Failure = e.Message;
        }
    }

    /// <summary>Counts the ticks in one frame and, in one frame of eight while measuring, samples the first one's latency.</summary>
    internal void OnFrame(ReadOnlySpan<byte> frame)
    {
        Messages += CountTicks(frame);
        if (!Measuring || ++_frames % SampleEvery != 0 || ReceiveTime(frame) is not { } received)
        {
            return;
        }

        LatenciesMs.Add((DateTimeOffset.UtcNow - received).TotalMilliseconds);
        SampleWindows.Add(Window);
    }

    internal static int CountTicks(ReadOnlySpan<byte> frame)
    {
        int count = 0;
        int at;
        while ((at = frame.IndexOf(s_tick)) >= 0)
        {
            count++;
            frame = frame[(at + s_tick.Length)..];
        }

        return count;
    }

    internal static DateTimeOffset? ReceiveTime(ReadOnlySpan<byte> frame)
    {
        int at = frame.IndexOf(s_receiveTime);
        if (at < 0)
        {
            return null;
        }

        ReadOnlySpan<byte> value = frame[(at + s_receiveTime.Length)..];
        value = value[..value.IndexOf((byte)'"')];
        return DateTimeOffset.TryParse(Encoding.ASCII.GetString(value), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset received)
            ? received
            : null;
    }
}
