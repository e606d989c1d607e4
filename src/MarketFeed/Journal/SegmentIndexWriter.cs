using Microsoft.Win32.SafeHandles;

namespace MarketFeed.Journal;

/// <summary>
/// Appends a segment's time index as the segment is written (see <see cref="SegmentIndex"/>): told of every record,
/// it adds an entry every <see cref="SegmentIndex.RecordsPerEntry"/> records or <see cref="SegmentIndex.TimePerEntry"/>
/// of recorded time. Entries reach the OS with the records (after them) and the disk when the segment is sealed.
/// </summary>
internal sealed class SegmentIndexWriter : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly byte[] _pending = new byte[SegmentIndex.EntryBytes * 64];
    private int _pendingBytes;
    private long _length = SegmentIndex.HeaderBytes;
    private DateTime _max = DateTime.MinValue;
    private DateTime? _lastEntryAt;
    private int _sinceEntry;

    private SegmentIndexWriter(SafeFileHandle file) => _file = file;

    /// <summary>Starts an index (replacing any file at <paramref name="path"/>).</summary>
    public static SegmentIndexWriter Create(string path, SegmentHeader header)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            Span<byte> bytes = stackalloc byte[SegmentIndex.HeaderBytes];
            SegmentIndex.WriteHeader(bytes, header);
            RandomAccess.Write(file, bytes, 0);
            return new SegmentIndexWriter(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>A record is about to be written at <paramref name="offset"/>.</summary>
    public void OnRecord(long offset, long seq, DateTime recordedAt)
    {
        if (_lastEntryAt is { } last && (_sinceEntry >= SegmentIndex.RecordsPerEntry || recordedAt - last >= SegmentIndex.TimePerEntry))
        {
            Add(new SegmentIndexEntry(_max, offset, seq, End: false));
            _lastEntryAt = recordedAt;
            _sinceEntry = 0;
        }

        // The segment's first record starts it: no entry is needed there.
        _lastEntryAt ??= recordedAt;
        _sinceEntry++;
        if (recordedAt > _max)
        {
            _max = recordedAt;
        }
    }

    /// <summary>The entry that covers every record: where they end and the latest time among them.</summary>
    public void WriteEnd(long endOffset, long nextSeq) => Add(new SegmentIndexEntry(_max, endOffset, nextSeq, End: true));

    public void FlushToOs()
    {
        if (_pendingBytes > 0)
        {
            RandomAccess.Write(_file, _pending.AsSpan(0, _pendingBytes), _length - _pendingBytes);
            _pendingBytes = 0;
        }
    }

    public void FlushToDisk()
    {
        FlushToOs();
        RandomAccess.FlushToDisk(_file);
    }

    public void Dispose()
    {
        if (!_file.IsClosed)
        {
            try
            {
                FlushToOs();
            }
            finally
            {
                _file.Dispose();
            }
        }
    }

    private void Add(SegmentIndexEntry entry)
    {
        if (_pendingBytes == _pending.Length)
        {
            FlushToOs();
        }

        SegmentIndex.WriteEntry(_pending.AsSpan(_pendingBytes, SegmentIndex.EntryBytes), entry);
        _pendingBytes += SegmentIndex.EntryBytes;
        _length += SegmentIndex.EntryBytes;
    }
}
