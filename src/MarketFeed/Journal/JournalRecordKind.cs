namespace MarketFeed.Journal;

/// <summary>What a journal record holds. Raw logs hold frames and connection events; normalized logs hold hub events.</summary>
public enum JournalRecordKind : ushort
{
    /// <summary>A frame received from the venue, byte for byte (flags: text or binary).</summary>
    FrameIn = 1,

    /// <summary>A frame sent to the venue (subscribe, unsubscribe, mode, ping).</summary>
    FrameOut = 2,

    /// <summary>A connection opened (payload: the endpoint, without credentials).</summary>
    Connected = 3,

    /// <summary>A connection ended (payload: why).</summary>
    Disconnected = 4,

    /// <summary>A REST answer that fed the hub (payload: the request path, a newline, the body).</summary>
    RestResponse = 5,

    /// <summary>A tick the hub admitted.</summary>
    Tick = 16,

    /// <summary>An order book snapshot or diff.</summary>
    BookUpdate = 17,

    /// <summary>A candle that closed.</summary>
    CandleClosed = 18,

    /// <summary>Something a reader should know about the recording itself (e.g. the symbols recorded).</summary>
    Marker = 32,
}
