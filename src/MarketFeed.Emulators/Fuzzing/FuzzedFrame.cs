namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// One frame from a <see cref="FrameFuzzer"/>. <see cref="MustReject"/> is true when its construction guarantees the
/// client cannot read it (given the venue's <see cref="FuzzProfile"/>), so it must be counted; false when it may
/// still be a valid frame (a mutated price is still a price: most venues have no checksum).
/// </summary>
public sealed record FuzzedFrame(byte[] Bytes, bool Text, FuzzKind Kind, bool MustReject);
