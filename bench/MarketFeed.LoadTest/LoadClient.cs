using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace MarketFeed.LoadTest;

/// <summary>One WebSocket client: subscribes its symbols, reads everything, and samples latency from each tick's receiveTime.</summary>
internal sealed class LoadClient(Uri uri, string[] symbols)
{
    private static readonly byte[] s_receiveTime = "\"receiveTime\":\""u8.ToArray();

    public long Messages;
    public readonly List<double> LatenciesMs = new(100_000);
    public string? Failure;

    /// <summary>Latency is sampled only while measuring (after the warm-up), one tick in <see cref="SampleEvery"/>.</summary>
    public volatile bool Measuring;

    private const int SampleEvery = 8;

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

    public async Task RunAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, Invoker, stop);
            string subscribe = "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', symbols.Select(s => "\"" + s + "\"")) + "],\"channels\":[\"ticks\"]}";
            await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, stop);
            byte[] buffer = new byte[16 * 1024];
            while (!stop.IsCancellationRequested)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure = $"closed by server: {socket.CloseStatus} {socket.CloseStatusDescription}";
                    return;
                }

                Messages++;
                Record(buffer.AsSpan(0, result.Count));
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

    private void Record(ReadOnlySpan<byte> message)
    {
        if (!Measuring || Messages % SampleEvery != 0)
        {
            return;
        }

        int at = message.IndexOf(s_receiveTime);
        if (at < 0)
        {
            return;
        }

        ReadOnlySpan<byte> value = message[(at + s_receiveTime.Length)..];
        value = value[..value.IndexOf((byte)'"')];
        if (DateTimeOffset.TryParse(Encoding.ASCII.GetString(value), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset received))
        {
            LatenciesMs.Add((DateTimeOffset.UtcNow - received).TotalMilliseconds);
        }
    }
}
