using System.Buffers;
using System.Net.WebSockets;
using MarketFeed.Server.Streaming;

namespace MarketFeed.Server.Tests.Streaming;

public class WebSocketFramesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public async Task Frames_of_every_length_class_read_back_whole_with_a_real_websocket_client(int length)
    {
        byte[] payload = [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];
        var frames = new ArrayBufferWriter<byte>();
        WebSocketFrames.WriteText(frames, payload);
        WebSocketFrames.WriteText(frames, "{}"u8);

        using var client = WebSocket.CreateFromStream(new MemoryStream(frames.WrittenSpan.ToArray()), new WebSocketCreationOptions { IsServer = false });
        Assert.Equal(payload, await ReadMessageAsync(client));
        Assert.Equal("{}"u8.ToArray(), await ReadMessageAsync(client));
    }

    private static async Task<byte[]> ReadMessageAsync(WebSocket socket)
    {
        var message = new MemoryStream();
        byte[] buffer = new byte[8192];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return message.ToArray();
    }
}
