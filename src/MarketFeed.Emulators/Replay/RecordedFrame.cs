namespace MarketFeed.Emulators.Replay;

/// <summary>One frame of a recorded connection: when, which way, text or binary, and its bytes.</summary>
public sealed record RecordedFrame(DateTime At, bool Inbound, bool IsText, byte[] Bytes);
