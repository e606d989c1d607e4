using BenchmarkDotNet.Attributes;
using MarketFeed.Journal;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Recording throughput: 10,000 records of 120 bytes (a typical trade or book frame) appended to a journal segment —
/// header, CRC-32C, padding, handed to the OS in 256 KiB writes — against a plain sequential FileStream write of the
/// same number of bytes (the least any recorder must do). Each iteration writes into a file opened beforehand (not
/// timed), so both sides measure writing only.
/// </summary>
[MemoryDiagnoser]
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

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_payload);
        new Random(6).NextBytes(_plain);
        _directory = Directory.CreateTempSubdirectory("mf-journal-bench-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [IterationSetup(Target = nameof(PlainSequentialWrite))]
    public void OpenStream() => _stream = new FileStream(NextPath(), FileMode.CreateNew, FileAccess.Write, FileShare.None, 256 * 1024);

    [IterationSetup(Target = nameof(JournalAppend))]
    public void OpenSegment() => _writer = JournalSegmentWriter.Create(NextPath(), new SegmentHeader(JournalLogKind.Raw, 1, DateTime.UnixEpoch, "bench", 1));

    [IterationCleanup]
    public void Close()
    {
        _stream?.Dispose();
        _writer?.Dispose();
        (_stream, _writer) = (null, null);
        File.Delete(_path);
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

    private string NextPath() => _path = Path.Combine(_directory, $"{_file++}.open");
}
