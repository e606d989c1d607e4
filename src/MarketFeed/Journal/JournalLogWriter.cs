using System.Globalization;

namespace MarketFeed.Journal;

/// <summary>
/// Writes one log of a recording (a folder of segments): starts a new segment past <see cref="JournalOptions.SegmentBytes"/>
/// and at each trading-day boundary, seals the old one, resumes after a crash from the last whole record, and deletes
/// sealed segments past their retention. Single writer: the recorder's writer task.
/// </summary>
public sealed class JournalLogWriter : IDisposable
{
    private readonly JournalOptions _options;
    private readonly JournalLogKind _log;
    private readonly string _source;
    private readonly uint _decoderVersion;
    private JournalSegmentWriter? _segment;
    private DateOnly _segmentDay;

    private JournalLogWriter(JournalOptions options, JournalLogKind log, string source, uint decoderVersion, JournalSegmentWriter? resumed, SegmentEnd recovery)
    {
        _options = options;
        _log = log;
        _source = source;
        _decoderVersion = decoderVersion;
        _segment = resumed;
        Recovered = recovery;
        NextSeq = resumed?.NextSeq ?? LastSealedSeq(JournalFiles.LogDirectory(options.Directory, log)) + 1;
        if (resumed?.LastRecordedAt is { } last)
        {
            _segmentDay = TradingDay(last);
        }
    }

    public long NextSeq { get; private set; }

    /// <summary>What reopening found at the end of the segment left open by the previous run.</summary>
    public SegmentEnd Recovered { get; }

    /// <summary>Opens the log for appending, recovering a segment the previous run left open.</summary>
    public static JournalLogWriter Open(JournalOptions options, JournalLogKind log, string source, uint decoderVersion)
    {
        string directory = JournalFiles.LogDirectory(options.Directory, log);
        System.IO.Directory.CreateDirectory(directory);
        string? open = System.IO.Directory.EnumerateFiles(directory, "*" + JournalFormat.OpenExtension).Order(StringComparer.Ordinal).LastOrDefault();
        if (open is not null && new FileInfo(open).Length < JournalFormat.SegmentHeaderBytes)
        {
            // Killed between creating a segment and writing its header: it holds no record.
            File.Delete(open);
            File.Delete(SegmentIndex.PathFor(open));
            open = null;
        }

        JournalSegmentWriter? resumed = null;
        SegmentEnd recovery = default;
        if (open is not null)
        {
            resumed = JournalSegmentWriter.OpenForAppend(open, out recovery);
        }

        return new JournalLogWriter(options, log, source, decoderVersion, resumed, recovery);
    }

    public long Append(JournalRecordKind kind, ushort flags, uint stream, DateTime recordedAt, ReadOnlySpan<byte> payload)
    {
        DateOnly day = TradingDay(recordedAt);
        if (_segment is null || (_segment.Records > 0 && (day != _segmentDay || _segment.Length + JournalFormat.RecordSize(payload.Length) > _options.SegmentBytes)))
        {
            Rotate(recordedAt);
            _segmentDay = day;
        }

        long seq = _segment!.Append(kind, flags, stream, recordedAt, payload);
        NextSeq = seq + 1;
        return seq;
    }

    public void FlushToOs() => _segment?.FlushToOs();

    public void FlushToDisk() => _segment?.FlushToDisk();

    /// <summary>Deletes whole sealed segments older than <paramref name="now"/> minus the retention, or beyond the size budget, oldest first.</summary>
    public int ApplyRetention(DateTime now)
    {
        string directory = JournalFiles.LogDirectory(_options.Directory, _log);
        List<FileInfo> sealedSegments = [.. new DirectoryInfo(directory).EnumerateFiles("*" + JournalFormat.SealedExtension).OrderBy(f => f.Name, StringComparer.Ordinal)];
        long total = sealedSegments.Sum(f => f.Length) + (_segment?.Length ?? 0);
        int deleted = 0;
        foreach (FileInfo segment in sealedSegments)
        {
            bool tooOld = _options.RetainFor is { } age && segment.LastWriteTimeUtc < now - age;
            bool tooBig = _options.RetainBytes is { } budget && total > budget;
            if (!tooOld && !tooBig)
            {
                break;
            }

            total -= segment.Length;
            segment.Delete();
            File.Delete(SegmentIndex.PathFor(segment.FullName));
            deleted++;
        }

        return deleted;
    }

    /// <summary>Seals the segment being written.</summary>
    public void Dispose()
    {
        JournalSegmentWriter? segment = _segment;
        _segment = null;
        try
        {
            if (segment is { Records: > 0 })
            {
                segment.Seal();
            }
        }
        finally
        {
            segment?.Dispose();
        }
    }

    private void Rotate(DateTime recordedAt)
    {
        if (_segment is not null)
        {
            JournalSegmentWriter sealing = _segment;
            _segment = null;
            sealing.Seal();
            sealing.Dispose();
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"{NextSeq:D16}-{TradingDay(recordedAt):yyyyMMdd}{JournalFormat.OpenExtension}");
        _segment = JournalSegmentWriter.Create(
            Path.Combine(JournalFiles.LogDirectory(_options.Directory, _log), name),
            new SegmentHeader(_log, NextSeq, recordedAt, _source, _decoderVersion),
            _options.CreateSegmentFile);
    }

    private DateOnly TradingDay(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, _options.TradingDayZone));

    private static long LastSealedSeq(string directory)
    {
        string? last = System.IO.Directory.EnumerateFiles(directory, "*" + JournalFormat.SealedExtension).Order(StringComparer.Ordinal).LastOrDefault();
        if (last is null)
        {
            return 0;
        }

        using JournalSegmentReader reader = JournalSegmentReader.Open(last);
        while (reader.TryRead(out _))
        {
        }

        return reader.NextSeq - 1;
    }
}
