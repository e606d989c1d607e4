namespace MarketFeed.Taps;

public enum RawFrameDirection : byte
{
    /// <summary>From the venue.</summary>
    In,

    /// <summary>To the venue (control messages).</summary>
    Out,
}
