namespace MarketFeed.Journal;

/// <summary>
/// The on-disk layout, little-endian throughout. A segment file starts with a <see cref="SegmentHeaderBytes"/>-byte
/// header (magic, format version, log kind, first sequence number, creation time, source and decoder version, and a
/// CRC-32C of the header). Records follow, each <see cref="RecordHeaderBytes"/> bytes of header — header plus payload
/// length (u32, so never 0), CRC-32C (u32) over the whole record but itself (length, payload and padding included), sequence (i64), recorded time (UTC ticks, i64),
/// kind (u16), flags (u16), stream (u32), reserved (u32) — then the payload, padded with zeros to 8 bytes. A length
/// of zero marks the end of the written part: a torn tail reads as an end or fails its CRC, never as a record.
/// </summary>
public static class JournalFormat
{
    /// <summary>The current format version; a reader refuses a newer one by name.</summary>
    public const ushort Version = 1;

    public const int SegmentHeaderBytes = 128;

    public const int RecordHeaderBytes = 40;

    /// <summary>A record's payload is at most this long, so a damaged length can never trigger a huge read.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary><see cref="JournalRecord.Flags"/> bit of a raw frame that was a text frame.</summary>
    public const ushort TextFrame = 1;

    /// <summary>The file name extension of the segment being written.</summary>
    public const string OpenExtension = ".open";

    /// <summary>The file name extension of a sealed segment (immutable).</summary>
    public const string SealedExtension = ".seg";

    internal static ReadOnlySpan<byte> Magic => "MFJOURNL"u8;

    /// <summary>Bytes a record takes on disk, header and padding included.</summary>
    public static int RecordSize(int payloadBytes) => RecordHeaderBytes + ((payloadBytes + 7) & ~7);
}
