namespace MarketFeed.Taps;

/// <summary>
/// Sees every frame a feed session receives or sends, byte for byte, before decoding (for the journal). Called on
/// the connection's own task: copy what you keep and return at once — the connection waits for you.
/// </summary>
public interface IRawFrameTap
{
    void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc);
}
