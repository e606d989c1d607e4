namespace MarketFeed.Venues.Kite;

/// <summary>What one binary frame held: decoded packets, packets skipped by length, and whether the frame was cut short.</summary>
public readonly record struct KiteFrameStats(int Packets, int SkippedUnknownLength, bool Truncated, bool Heartbeat);
