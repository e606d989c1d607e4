namespace MarketFeed.Journal;

/// <summary>One record of a journal log: its sequence number in the log, when it was recorded, what it is, and its bytes.</summary>
/// <param name="Seq">+1 per record of the log, from 1; never reused, also across segments.</param>
/// <param name="RecordedAt">UTC time the record was taken (a frame's receive time).</param>
/// <param name="Kind">What the record is.</param>
/// <param name="Stream">The connection a raw record belongs to (0 for normalized records).</param>
/// <param name="Flags">Kind-specific bits, e.g. <see cref="JournalFormat.TextFrame"/>.</param>
/// <param name="Payload">The bytes: a frame as received, or an encoded hub event.</param>
public readonly record struct JournalRecord(long Seq, DateTime RecordedAt, JournalRecordKind Kind, ushort Flags, uint Stream, ReadOnlyMemory<byte> Payload);
