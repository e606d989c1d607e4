namespace MarketFeed.Bus.Consuming;

/// <summary>What the consumer makes of an event's sequence number.</summary>
internal enum SequenceVerdict
{
    /// <summary>The next number (or the first seen): applied.</summary>
    Next,

    /// <summary>Numbers were skipped: the gap is reported, the event applied.</summary>
    Gap,

    /// <summary>Seen already (a batch sent again after a reconnect): dropped.</summary>
    Duplicate,

    /// <summary>A state round repeating what was applied: dropped silently.</summary>
    Repeat,

    /// <summary>A restarted producer went back to a number already seen (its marks trailed): reported, applied.</summary>
    Rewound,
}
