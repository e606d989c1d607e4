namespace MarketFeed.Venues.Kite;

/// <summary>
/// What one binary frame held: decoded packets, packets skipped by length, whether the frame was cut short, and
/// bytes left over after the packets its count declared (a frame Kite sends ends with its last packet).
/// </summary>
public readonly record struct KiteFrameStats(int Packets, int SkippedUnknownLength, bool Truncated, bool Heartbeat, int TrailingBytes = 0)
{
    /// <summary>The frame was exactly what its header declared, every packet of a known length.</summary>
    public bool WellFormed => !Truncated && SkippedUnknownLength == 0 && TrailingBytes == 0;
}
