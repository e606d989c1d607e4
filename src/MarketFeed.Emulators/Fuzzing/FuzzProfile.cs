namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// What a venue's protocol promises, from its spec, which decides the damaged frames a client is guaranteed to reject;
/// and the guard that keeps fuzzed frames away from the instruments a fuzz run watches.
/// </summary>
public sealed class FuzzProfile
{
    /// <summary>Binary frames shorter than this are heartbeats, valid whatever they hold (Kite: 2).</summary>
    public int HeartbeatBelowBytes { get; init; }

    /// <summary>A binary frame's header says exactly how many bytes it holds: one cut short or with bytes past its end is malformed.</summary>
    public bool FramesDeclareTheirLength { get; init; }

    /// <summary>Every text frame is a JSON object: text that is not one is unreadable.</summary>
    public bool TextIsJsonObject { get; init; }

    /// <summary>The venue sends no text frames at all (Upstox: binary protobuf only): every text frame is unreadable.</summary>
    public bool TextNeverValid { get; init; }

    /// <summary>
    /// (bytes, text?) → true when the venue's client would read the frame as naming a protected instrument (one that
    /// is not a fuzz target). Such frames are never sent: the fuzzer makes another one.
    /// </summary>
    public Func<byte[], bool, bool> NamesProtected { get; init; } = (_, _) => false;
}
