using System.Buffers.Binary;
using System.Text;

namespace MarketFeed.Journal;

/// <summary>The header of a segment file: which log it belongs to, where it starts, and what wrote it.</summary>
/// <param name="Log">Raw or normalized.</param>
/// <param name="FirstSeq">The sequence number of the segment's first record.</param>
/// <param name="CreatedAt">When the segment was started (UTC).</param>
/// <param name="Source">The feed recorded (e.g. <c>kite</c>), at most 64 bytes of UTF-8.</param>
/// <param name="DecoderVersion">The version of the code that derived the records (raw logs: the venue's decoder).</param>
public sealed record SegmentHeader(JournalLogKind Log, long FirstSeq, DateTime CreatedAt, string Source, uint DecoderVersion)
{
    private const int SourceOffset = 34;
    private const int MaxSourceBytes = 64;
    private const int CrcOffset = JournalFormat.SegmentHeaderBytes - 4;

    public void Write(Span<byte> destination)
    {
        destination[..JournalFormat.SegmentHeaderBytes].Clear();
        JournalFormat.Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], JournalFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)Log);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], DecoderVersion);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], FirstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], CreatedAt.Ticks);
        int length = Encoding.UTF8.GetBytes(Source.Length > MaxSourceBytes ? Source[..MaxSourceBytes] : Source, destination.Slice(SourceOffset, MaxSourceBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[32..], (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[CrcOffset..], Crc32C.Compute(destination[..CrcOffset]));
    }

    /// <exception cref="JournalException">Not a segment, a newer format, or a damaged header; the message names <paramref name="path"/>.</exception>
    public static SegmentHeader Read(ReadOnlySpan<byte> header, string path)
    {
        if (header.Length < JournalFormat.SegmentHeaderBytes || !header.StartsWith(JournalFormat.Magic))
        {
            throw new JournalException($"{path}: not a MarketFeed journal segment (no journal header at offset 0)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > JournalFormat.Version)
        {
            throw new JournalException($"{path}: journal format version {version} (at offset 8) is newer than this build reads ({JournalFormat.Version}); use a newer marketfeed", newerFormat: true);
        }

        if (Crc32C.Compute(header[..CrcOffset]) != BinaryPrimitives.ReadUInt32LittleEndian(header[CrcOffset..]))
        {
            throw new JournalException($"{path}: the segment header is damaged (checksum mismatch at offset 0)");
        }

        int length = Math.Min((int)BinaryPrimitives.ReadUInt16LittleEndian(header[32..]), MaxSourceBytes);
        return new SegmentHeader(
            (JournalLogKind)BinaryPrimitives.ReadUInt16LittleEndian(header[10..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
            new DateTime(BinaryPrimitives.ReadInt64LittleEndian(header[24..]), DateTimeKind.Utc),
            Encoding.UTF8.GetString(header.Slice(SourceOffset, length)),
            BinaryPrimitives.ReadUInt32LittleEndian(header[12..]));
    }
}
