using System.Collections.Concurrent;
using System.Buffers;
using System.Text;
using MarketFeed.Taps;

namespace MarketFeed.Journal;

/// <summary>
/// Records into the raw log every frame a feed session receives or sends, byte for byte, its connections' opening
/// (endpoint) and ending (why), and the REST answers the feed read (path, a newline, the body). The recorder copies;
/// nothing waits. A feed with several sessions (a second one for deep books, say) gets a connection number range
/// per session: the first session seen numbers its connections from 0, the second from 65,536, and so on.
/// </summary>
public sealed class JournalRawFrameTap(JournalRecorder recorder) : IRawFrameTap
{
    private const int ConnectionsPerSession = 1 << 16;
    private readonly ConcurrentDictionary<string, uint> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _numbering = new();

    public void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc) =>
        recorder.TryRecord(
            JournalLogKind.Raw,
            direction == RawFrameDirection.In ? JournalRecordKind.FrameIn : JournalRecordKind.FrameOut,
            isText ? JournalFormat.TextFrame : (ushort)0,
            Stream(feed, connection),
            atUtc,
            bytes);

    public void OnConnected(string feed, int connection, string endpoint, DateTime atUtc) =>
        recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.Connected, 0, Stream(feed, connection), atUtc, Encoding.UTF8.GetBytes(endpoint));

    public void OnDisconnected(string feed, int connection, string reason, DateTime atUtc) =>
        recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.Disconnected, 0, Stream(feed, connection), atUtc, Encoding.UTF8.GetBytes(reason));

    public void OnRestResponse(string feed, string request, ReadOnlySpan<byte> body, DateTime atUtc)
    {
        int head = Encoding.UTF8.GetByteCount(request) + 1;
        byte[] payload = ArrayPool<byte>.Shared.Rent(head + body.Length);
        try
        {
            Encoding.UTF8.GetBytes(request, payload);
            payload[head - 1] = (byte)'\n';
            body.CopyTo(payload.AsSpan(head));
            recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.RestResponse, 0, 0, atUtc, payload.AsSpan(0, head + body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private uint Stream(string session, int connection)
    {
        if (!_sessions.TryGetValue(session, out uint first))
        {
            lock (_numbering)
            {
                first = _sessions.GetOrAdd(session, (uint)_sessions.Count * ConnectionsPerSession);
            }
        }

        return first + (uint)connection;
    }

    /// <summary>Splits a <see cref="JournalRecordKind.RestResponse"/> payload into the request (path and query) and the body.</summary>
    public static (string Request, ReadOnlyMemory<byte> Body) ReadRestResponse(ReadOnlyMemory<byte> payload)
    {
        int newline = payload.Span.IndexOf((byte)'\n');
        return newline < 0 ? (Encoding.UTF8.GetString(payload.Span), ReadOnlyMemory<byte>.Empty) : (Encoding.UTF8.GetString(payload.Span[..newline]), payload[(newline + 1)..]);
    }
}
