using BenchmarkDotNet.Attributes;
using MarketFeed.Journal;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Recording throughput: 10,000 records of 120 bytes (a typical trade or book frame) appended to a journal segment —
/// header, CRC-32C, padding, time index, handed to the OS in 256 KiB writes — against a plain sequential FileStream
/// write of the same number of bytes (the least any recorder must do). Each iteration writes into a file opened
/// beforehand (not timed), so both sides measure writing only. <see cref="JournalRecorderRecord"/> is the whole
/// recorder a gateway runs: each record copied into the bounded queue by the caller, and the writer task appending,
/// indexing, rotating segments (64 MiB) and flushing to the OS, timed until the last record is written. One invocation
/// an iteration (each side writes into its own fresh file), 15 iterations.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[IterationCount(15)]
public class JournalWriteBenchmarks
{
    private const int Records = 10_000;
    private const int PayloadBytes = 120;
    private readonly byte[] _payload = new byte[PayloadBytes];
    private readonly byte[] _plain = new byte[JournalFormat.RecordSize(PayloadBytes) * Records];
    private string _directory = "";
    private string _path = "";
    private int _file;
    private FileStream? _stream;
    private JournalSegmentWriter? _writer;
    private JournalRecorder? _recorder;
    private long _queued;

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_payload);
        new Random(6).NextBytes(_plain);
        _directory = Directory.CreateTempSubdirectory("mf-journal-bench-").FullName;

        // Retention keeps the disk bounded over the run: whole sealed segments are deleted past 256 MiB.
        _recorder = JournalRecorder.Start(new JournalOptions { Directory = Path.Combine(_directory, "recorder"), RetainBytes = 256L * 1024 * 1024 }, "bench", 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _recorder!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Target = nameof(PlainSequentialWrite))]
    public void OpenStream() => _stream = new FileStream(NextPath(), FileMode.CreateNew, FileAccess.Write, FileShare.None, 256 * 1024);

    [IterationSetup(Target = nameof(JournalAppend))]
    public void OpenSegment() => _writer = JournalSegmentWriter.Create(NextPath(), new SegmentHeader(JournalLogKind.Raw, 1, DateTime.UnixEpoch, "bench", 1));

    [IterationCleanup(Targets = [nameof(PlainSequentialWrite), nameof(JournalAppend)])]
    public void Close()
    {
        _stream?.Dispose();
        _writer?.Dispose();
        (_stream, _writer) = (null, null);
        File.Delete(_path);
        File.Delete(SegmentIndex.PathFor(_path));
    }

    [Benchmark(Baseline = true)]
    public long PlainSequentialWrite()
    {
        _stream!.Write(_plain);
        _stream.Flush();
        return _plain.Length;
    }

    [Benchmark]
    public long JournalAppend()
    {
        DateTime at = DateTime.UnixEpoch;
        for (int i = 0; i < Records; i++)
        {
            _writer!.Append(JournalRecordKind.FrameIn, 0, 1, at, _payload);
        }

        _writer!.FlushToOs();
        return _writer.Length;
    }

    [Benchmark]
    public long JournalRecorderRecord()
    {
        DateTime at = DateTime.UtcNow;
        for (int i = 0; i < Records; i++)
        {
            _recorder!.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 1, at, _payload);
        }

        _queued += Records;
        var wait = new SpinWait();
        while (_recorder!.Status.Recorded + _recorder.Status.Dropped < _queued)
        {
            wait.SpinOnce(sleep1Threshold: -1);
        }

        return _recorder.Status.Bytes;
    }

    private string NextPath() => _path = Path.Combine(_directory, $"{_file++}.open");
}
