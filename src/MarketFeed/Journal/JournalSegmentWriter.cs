using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace MarketFeed.Journal;

/// <summary>
/// Appends records to one segment file. Records are encoded into a buffer that reaches the OS on
/// <see cref="FlushToOs"/> (or when it fills) and the disk on <see cref="FlushToDisk"/>; after a crash, reopening the
/// file with <see cref="OpenForAppend"/> keeps every whole record and cuts off the torn tail. The segment's time index
/// (<see cref="SegmentIndex"/>) is written beside it. Single writer: not thread-safe (the journal's writer task owns it).
/// </summary>
public sealed class JournalSegmentWriter : IDisposable
{
    private const int BufferBytes = 256 * 1024;

    private readonly SafeFileHandle _file;
    private readonly SegmentIndexWriter _index;
    private byte[] _pending = new byte[BufferBytes];
    private int _pendingBytes;

    private JournalSegmentWriter(string path, SafeFileHandle file, SegmentIndexWriter index, SegmentHeader header, long length, long nextSeq, int records)
    {
        Path = path;
        _file = file;
        _index = index;
        Header = header;
        Length = length;
        NextSeq = nextSeq;
        Records = records;
    }

    public string Path { get; private set; }

    public SegmentHeader Header { get; }

    /// <summary>Bytes of the segment, pending records included.</summary>
    public long Length { get; private set; }

    /// <summary>The sequence number the next record gets.</summary>
    public long NextSeq { get; private set; }

    public int Records { get; private set; }

    /// <summary>The recorded time of the last record appended, or null for an empty segment.</summary>
    public DateTime? LastRecordedAt { get; private set; }

    /// <summary>Creates a new segment (failing if the file exists) and makes its header durable; starts its time index beside it.</summary>
    public static JournalSegmentWriter Create(string path, SegmentHeader header) => Create(path, header, null);

    internal static JournalSegmentWriter Create(string path, SegmentHeader header, Func<string, SafeFileHandle>? createFile)
    {
        SafeFileHandle file = createFile?.Invoke(path) ?? File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            Span<byte> bytes = stackalloc byte[JournalFormat.SegmentHeaderBytes];
            header.Write(bytes);
            RandomAccess.Write(file, bytes, 0);
            RandomAccess.FlushToDisk(file);
            SegmentIndexWriter index = SegmentIndexWriter.Create(SegmentIndex.PathFor(path), header);
            return new JournalSegmentWriter(path, file, index, header, JournalFormat.SegmentHeaderBytes, header.FirstSeq, 0);
        }
        catch
        {
            // A segment that could not get its header (a full disk) holds nothing: leave no half-made file to trip over.
            file.Dispose();
            File.Delete(path);
            File.Delete(SegmentIndex.PathFor(path));
            throw;
        }
    }

    /// <summary>
    /// Reopens a segment that was being written (e.g. after <c>kill -9</c>): keeps every valid record, cuts the file
    /// after the last one, and appends from there; its time index is rebuilt from the same scan. <paramref name="recovery"/>
    /// says what was cut, if anything.
    /// </summary>
    public static JournalSegmentWriter OpenForAppend(string path, out SegmentEnd recovery)
    {
        long nextSeq;
        int records = 0;
        DateTime? last = null;
        SegmentHeader header;
        SegmentIndexWriter? index = null;
        try
        {
            using (JournalSegmentReader reader = JournalSegmentReader.Open(path))
            {
                header = reader.Header;
                index = SegmentIndexWriter.Create(SegmentIndex.PathFor(path), header);
                long offset = reader.Position;
                while (reader.TryRead(out JournalRecord record))
                {
                    index.OnRecord(offset, record.Seq, record.RecordedAt);
                    offset = reader.Position;
                    records++;
                    last = record.RecordedAt;
                }

                recovery = reader.End;
                nextSeq = reader.NextSeq;
            }

            SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            if (RandomAccess.GetLength(file) != recovery.Offset)
            {
                RandomAccess.SetLength(file, recovery.Offset);
                RandomAccess.FlushToDisk(file);
            }

            index.FlushToOs();
            return new JournalSegmentWriter(path, file, index, header, recovery.Offset, nextSeq, records) { LastRecordedAt = last };
        }
        catch
        {
            index?.Dispose();
            throw;
        }
    }

    /// <summary>Appends a record; returns its sequence number. Reaches the OS when the buffer fills or on <see cref="FlushToOs"/>.</summary>
    public long Append(JournalRecordKind kind, ushort flags, uint stream, DateTime recordedAt, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > JournalFormat.MaxPayloadBytes)
        {
            throw new ArgumentException($"a journal record holds at most {JournalFormat.MaxPayloadBytes} bytes, not {payload.Length}", nameof(payload));
        }

        int size = JournalFormat.RecordSize(payload.Length);
        if (_pendingBytes + size > _pending.Length)
        {
            FlushToOs();
            if (size > _pending.Length)
            {
                _pending = new byte[size];
            }
        }

        long seq = NextSeq;
        _index.OnRecord(Length, seq, recordedAt);
        Span<byte> record = _pending.AsSpan(_pendingBytes, size);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(JournalFormat.RecordHeaderBytes + payload.Length));
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], seq);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], recordedAt.Ticks);
        BinaryPrimitives.WriteUInt16LittleEndian(record[24..], (ushort)kind);
        BinaryPrimitives.WriteUInt16LittleEndian(record[26..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(record[28..], stream);
        BinaryPrimitives.WriteUInt32LittleEndian(record[32..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(record[36..], 0);
        payload.CopyTo(record[JournalFormat.RecordHeaderBytes..]);
        record[(JournalFormat.RecordHeaderBytes + payload.Length)..].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[8..], Crc32C.Compute(record[..4])));

        _pendingBytes += size;
        Length += size;
        NextSeq = seq + 1;
        Records++;
        LastRecordedAt = recordedAt;
        return seq;
    }

    /// <summary>Hands the buffered records to the OS: they survive the process being killed from here on.</summary>
    public void FlushToOs()
    {
        if (_pendingBytes == 0)
        {
            return;
        }

        long at = Length - _pendingBytes;
        RandomAccess.Write(_file, _pending.AsSpan(0, _pendingBytes), at);
        _pendingBytes = 0;
        Debug.Assert(RandomAccess.GetLength(_file) == Length, "the file ends where the last record ends");

        // After the records: an entry never reaches the OS before the record it points at.
        _index.FlushToOs();
    }

    /// <summary>Makes every record appended so far durable: it survives the machine losing power from here on.</summary>
    public void FlushToDisk()
    {
        FlushToOs();
        RandomAccess.FlushToDisk(_file);
    }

    /// <summary>Makes the segment durable and renames it from <c>.open</c> to <c>.seg</c>: sealed segments never change.</summary>
    public void Seal()
    {
        FlushToDisk();
        _index.WriteEnd(Length, NextSeq);
        _index.FlushToDisk();
        _index.Dispose();
        _file.Dispose();
        if (Path.EndsWith(JournalFormat.OpenExtension, StringComparison.Ordinal))
        {
            string sealedPath = Path[..^JournalFormat.OpenExtension.Length] + JournalFormat.SealedExtension;
            File.Move(Path, sealedPath);
            Path = sealedPath;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_file.IsClosed)
            {
                FlushToOs();
            }
        }
        finally
        {
            _file.Dispose();
            _index.Dispose();
        }
    }
}
