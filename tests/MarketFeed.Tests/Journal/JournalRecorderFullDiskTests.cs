using MarketFeed.Journal;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace MarketFeed.Tests.Journal;

/// <summary>
/// A full disk, for real: the second segment is handed a file on <c>/dev/full</c>, whose every write fails with ENOSPC
/// as a full file system's does. Recording stops with a clear state, logged once; what was written stays whole.
/// </summary>
public sealed class JournalRecorderFullDiskTests : IDisposable
{
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-recorder-full-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_full_disk_stops_recording_with_the_reason_logged_once_and_leaves_every_written_record_whole()
    {
        int created = 0;
        var options = new JournalOptions
        {
            Directory = _directory.FullName,
            SegmentBytes = 64 * 1024,
            CreateSegmentFile = path => Interlocked.Increment(ref created) == 1
                ? File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete)
                : FullDisk(),
        };
        var logger = new CollectingLogger();
        JournalRecorder recorder = JournalRecorder.Start(options, "kite", 1, logger: logger);

        // 128 bytes a record: 511 fill the first segment, the 512th needs the second.
        for (int i = 0; i < 2_000; i++)
        {
            recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 1, s_start.AddMilliseconds(i), new byte[88]);
            await Task.Yield();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (recorder.Status.State != JournalRecorderState.Failed)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.False(recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 1, s_start, new byte[88]));
        await recorder.DisposeAsync();
        JournalRecorderStatus status = recorder.Status;
        Assert.Equal((JournalRecorderState.Failed, "disk_full", 511L), (status.State, status.Failure, status.Recorded));
        Assert.Equal(2_001 - 511, status.Dropped);
        Assert.StartsWith($"recording into {_directory.FullName} stopped (the disk is full): ", status.LastError);
        Assert.Contains("No space left on device", status.LastError);
        Assert.Single(logger.Lines, l => l.Level == LogLevel.Error);
        Assert.Equal($"journal: {status.LastError}", logger.Lines.Single(l => l.Level == LogLevel.Error).Message);

        // Nothing already written is damaged: the first segment is sealed, whole, indexed, and reads back in full.
        string segment = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        SegmentSummary summary = SegmentSummary.Of(segment);
        Assert.Equal((true, SegmentEndKind.Clean, 511L), (summary.Sealed, summary.End.Kind, summary.Records));
        Assert.Equal(SegmentIndexState.Whole, SegmentIndex.Load(segment, summary.Header!).State);
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(Enumerable.Range(1, 511).Select(i => (long)i), reader.Read().Select(r => r.Seq));
        Assert.Empty(reader.Damage);
    }

    [Fact]
    public void A_write_to_dev_full_is_the_real_enospc()
    {
        using SafeFileHandle full = FullDisk();
        IOException e = Assert.ThrowsAny<IOException>(() => RandomAccess.Write(full, new byte[128], 0));
        Assert.Equal(28, e.HResult);
    }

    private static SafeFileHandle FullDisk() => File.OpenHandle("/dev/full", FileMode.Open, FileAccess.ReadWrite);
}
