using System.Buffers;
using System.Buffers.Binary;

namespace MarketFeed.Server.Streaming;

/// <summary>Server-to-client WebSocket frames (RFC 6455 §5.2): unmasked, so a frame is a header and the payload.</summary>
internal static class WebSocketFrames
{
    /// <summary>Writes one final text frame holding <paramref name="payload"/>.</summary>
    public static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[10];
        header[0] = 0x81;
        int length;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            length = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payload.Length);
            length = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payload.Length);
            length = 10;
        }

        output.Write(header[..length]);
        output.Write(payload);
    }
}
