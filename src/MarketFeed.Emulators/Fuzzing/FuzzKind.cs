namespace MarketFeed.Emulators.Fuzzing;

/// <summary>How a <see cref="FrameFuzzer"/> damaged a valid frame (or what it made instead of one).</summary>
public enum FuzzKind
{
    /// <summary>Random bytes of a random length, sent as binary.</summary>
    RandomBinary,

    /// <summary>Random valid UTF-8 text that cannot start a JSON value, sent as text.</summary>
    RandomText,

    /// <summary>A valid frame cut short (text at a character boundary).</summary>
    Truncated,

    /// <summary>A valid frame with bytes after its end: a copy of part of itself (a duplicated packet), random bytes or another frame.</summary>
    Extended,

    /// <summary>A valid binary frame with bits flipped and bytes set to boundary values (0x00, 0xFF, 0x7F, 0x80, random).</summary>
    Mutated,

    /// <summary>A valid binary frame with one framing field (a count, a length, an instrument key) set to 0, 1, ±1, the maximum, the sign bit or random.</summary>
    FieldCorrupted,

    /// <summary>The head of one valid binary frame joined to the tail of another.</summary>
    Spliced,

    /// <summary>A valid text frame with characters replaced, dropped or inserted (JSON punctuation, escapes, huge numbers, deep nesting, control characters).</summary>
    TextMutated,

    /// <summary>A valid text frame's bytes sent as a binary frame.</summary>
    TextAsBinary,

    /// <summary>A frame of no bytes, text or binary.</summary>
    Empty,

    /// <summary>A frame larger than the client's limit: a valid frame repeated, or a valid text frame padded with whitespace.</summary>
    Oversized,

    /// <summary>
    /// A text frame that is not UTF-8. RFC 6455 §8.1 makes the client's WebSocket fail the connection before the frame
    /// reaches the feed, so it is off unless asked for: it costs a reconnect, never a counted frame.
    /// </summary>
    InvalidUtf8,
}
