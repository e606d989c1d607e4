using System.Collections.Concurrent;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// What a venue emulator's fuzzer sent, by kind: every frame, those guaranteed unreadable, and those the venue's client
/// rejects (as judged frame by frame by the rig). A frame guaranteed unreadable that the client reads is an escape, kept
/// as a sample to replay. Safe from any thread.
/// </summary>
public sealed class FuzzTally
{
    private const int SamplesKept = 3;
    private static readonly int s_kinds = Enum.GetValues<FuzzKind>().Length;
    private readonly long[] _sent = new long[s_kinds];
    private readonly long[] _mustReject = new long[s_kinds];
    private readonly long[] _rejected = new long[s_kinds];
    private readonly ConcurrentQueue<string> _escapes = new();
    private long _escapeCount;
    private long _bytes;

    public long Sent => Total(_sent);

    public long MustReject => Total(_mustReject);

    /// <summary>Frames the venue's client rejects and must count: over its size limit, or unreadable to its protocol.</summary>
    public long Rejected => Total(_rejected);

    /// <summary>Frames guaranteed unreadable that the client's protocol read nonetheless.</summary>
    public long Escapes => Interlocked.Read(ref _escapeCount);

    /// <summary>The first escapes: kind and bytes (hex), to replay through the decoder.</summary>
    public IEnumerable<string> EscapeSamples => _escapes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public long SentOf(FuzzKind kind) => Interlocked.Read(ref _sent[(int)kind]);

    public long MustRejectOf(FuzzKind kind) => Interlocked.Read(ref _mustReject[(int)kind]);

    public long RejectedOf(FuzzKind kind) => Interlocked.Read(ref _rejected[(int)kind]);

    /// <summary>Counts a frame that was sent, with whether the venue's client rejects it.</summary>
    public void Record(FuzzedFrame frame, bool rejected)
    {
        int kind = (int)frame.Kind;
        Interlocked.Increment(ref _sent[kind]);
        Interlocked.Add(ref _bytes, frame.Bytes.Length);
        if (frame.MustReject)
        {
            Interlocked.Increment(ref _mustReject[kind]);
        }

        if (rejected)
        {
            Interlocked.Increment(ref _rejected[kind]);
        }
        else if (frame.MustReject && Interlocked.Increment(ref _escapeCount) <= SamplesKept)
        {
            _escapes.Enqueue($"{frame.Kind} {(frame.Text ? "text" : "binary")} {Convert.ToHexString(frame.Bytes.AsSpan(0, Math.Min(frame.Bytes.Length, 160)))}");
        }
    }

    private static long Total(long[] counts)
    {
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            total += Interlocked.Read(ref counts[i]);
        }

        return total;
    }
}
