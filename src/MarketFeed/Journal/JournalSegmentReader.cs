using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace MarketFeed.Journal;

/// <summary>
/// Reads one segment file record by record, checking each record's length, checksum and sequence number. Stops at the
/// first record that is not valid and says why (<see cref="End"/>): a reader never returns a damaged record. A
/// returned record's payload is valid until the next read.
/// </summary>
public sealed class JournalSegmentReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _fileLength;
    private byte[] _buffer = new byte[64 * 1024];
    private long _offset = JournalFormat.SegmentHeaderBytes;
    private long _expectedSeq;

    private JournalSegmentReader(string path, SafeFileHandle file, SegmentHeader header)
    {
        Path = path;
        _file = file;
        _fileLength = RandomAccess.GetLength(file);
        Header = header;
        _expectedSeq = header.FirstSeq;
    }

    public string Path { get; }

    public SegmentHeader Header { get; }

    /// <summary>Where the valid records end; <see cref="SegmentEndKind.None"/> while there may be more.</summary>
    public SegmentEnd End { get; private set; }

    /// <summary>The sequence number the next record must have (one past the last one read).</summary>
    public long NextSeq => _expectedSeq;

    /// <summary>The file offset of the next record.</summary>
    public long Position => _offset;

    public static JournalSegmentReader Open(string path)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.SegmentHeaderBytes];
            int read = RandomAccess.Read(file, header, 0);
            return new JournalSegmentReader(path, file, SegmentHeader.Read(header[..read], path));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool TryRead(out JournalRecord record)
    {
        record = default;
        if (End.Kind != SegmentEndKind.None)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[JournalFormat.RecordHeaderBytes];
        int got = _offset >= _fileLength ? 0 : RandomAccess.Read(_file, header, _offset);
        if (got == 0 || (got >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(header) == 0))
        {
            return Stop(SegmentEndKind.Clean, null);
        }

        if (got < JournalFormat.RecordHeaderBytes)
        {
            return Stop(SegmentEndKind.Damaged, $"a record header cut off after {got} bytes");
        }

        uint total = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (total < JournalFormat.RecordHeaderBytes || total - JournalFormat.RecordHeaderBytes > JournalFormat.MaxPayloadBytes)
        {
            return Stop(SegmentEndKind.Damaged, $"a record length of {total} bytes ({JournalFormat.RecordHeaderBytes} to {JournalFormat.RecordHeaderBytes + JournalFormat.MaxPayloadBytes})");
        }

        uint length = total - JournalFormat.RecordHeaderBytes;

        int size = JournalFormat.RecordSize((int)length);
        if (_offset + size > _fileLength)
        {
            return Stop(SegmentEndKind.Damaged, $"a {size}-byte record running past the end of the file ({_fileLength - _offset} bytes left)");
        }

        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        }

        Span<byte> whole = _buffer.AsSpan(0, size);
        if (RandomAccess.Read(_file, whole, _offset) < size)
        {
            return Stop(SegmentEndKind.Damaged, "the file ended while the record was read");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(whole[4..]);
        uint actual = Crc32C.Compute(whole[8..], Crc32C.Compute(whole[..4]));
        if (stored != actual)
        {
            return Stop(SegmentEndKind.Damaged, "a record whose checksum does not match (damaged or torn)");
        }

        long seq = BinaryPrimitives.ReadInt64LittleEndian(whole[8..]);
        if (seq != _expectedSeq)
        {
            return Stop(SegmentEndKind.Damaged, $"record {seq} where {_expectedSeq} was due");
        }

        record = new JournalRecord(
            seq,
            new DateTime(BinaryPrimitives.ReadInt64LittleEndian(whole[16..]), DateTimeKind.Utc),
            (JournalRecordKind)BinaryPrimitives.ReadUInt16LittleEndian(whole[24..]),
            BinaryPrimitives.ReadUInt16LittleEndian(whole[26..]),
            BinaryPrimitives.ReadUInt32LittleEndian(whole[28..]),
            _buffer.AsMemory(JournalFormat.RecordHeaderBytes, (int)length));
        _offset += size;
        _expectedSeq++;
        return true;
    }

    /// <summary>
    /// Moves to the record at <paramref name="offset"/> (from a time index) if a valid record numbered
    /// <paramref name="seq"/> is there; otherwise stays where it is and returns false.
    /// </summary>
    public bool TrySeek(long offset, long seq)
    {
        if (offset < JournalFormat.SegmentHeaderBytes || End.Kind != SegmentEndKind.None)
        {
            return false;
        }

        (long savedOffset, long savedSeq) = (_offset, _expectedSeq);
        (_offset, _expectedSeq) = (offset, seq);
        bool valid = offset < _fileLength && TryRead(out _);
        (_offset, _expectedSeq) = valid ? (offset, seq) : (savedOffset, savedSeq);
        End = default;
        return valid;
    }

    public void Dispose() => _file.Dispose();

    private bool Stop(SegmentEndKind kind, string? reason)
    {
        End = new SegmentEnd(kind, _offset, reason);
        return false;
    }
}
