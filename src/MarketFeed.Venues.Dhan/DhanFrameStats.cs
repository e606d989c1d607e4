namespace MarketFeed.Venues.Dhan;

/// <summary>
/// What one binary frame held: packets decoded, packets skipped because their length disagreed with their code or a
/// value could not be a price, packets of codes the decoder does not read, and whether the frame was cut short.
/// </summary>
internal readonly record struct DhanFrameStats(int Packets, int BadPackets, int UnknownCodes, bool Truncated)
{
    /// <summary>Every packet was of a known code, the right length and readable, and the frame ended with its last packet.</summary>
    public bool WellFormed => !Truncated && BadPackets == 0 && UnknownCodes == 0;
}
