namespace MarketFeed.Journal;

/// <summary>The two logs of a recording.</summary>
public enum JournalLogKind : ushort
{
    /// <summary>Frames exactly as the venue sent and received them, with connection events and REST answers.</summary>
    Raw = 1,

    /// <summary>What the hub admitted: ticks, book updates, candle closes, with their sequence numbers.</summary>
    Normalized = 2,
}
