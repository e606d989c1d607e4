using MarketFeed.Journal;

namespace MarketFeed.Tests.Journal;

/// <summary>The recorder never makes its caller wait, says what it dropped, and leaves a readable journal.</summary>
public sealed class JournalRecorderTests : IDisposable
{
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-recorder-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Raw_and_normalized_records_land_in_their_logs_and_become_durable()
    {
        JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = _directory.FullName, DiskFlushInterval = TimeSpan.FromMilliseconds(20) }, "kite", 2);
        for (int i = 0; i < 500; i++)
        {
            Assert.True(recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 1, s_start.AddMilliseconds(i), [(byte)i, 1, 2]));
            Assert.True(recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Tick, 0, 0, s_start.AddMilliseconds(i), [(byte)i]));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (recorder.Status.DurableThrough != s_start.AddMilliseconds(499))
        {
            await Task.Delay(10, timeout.Token);
        }

        await recorder.DisposeAsync();
        Assert.Equal(new JournalRecorderStatus(JournalRecorderState.Stopped, 1_000, 0, 1_000 * 48L, s_start.AddMilliseconds(499), null), recorder.Status);
        Assert.Equal(500, new JournalLogReader(_directory.FullName, JournalLogKind.Raw).Read().Count());
        SegmentSummary events = SegmentSummary.Of(Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Normalized)));
        Assert.Equal((500L, 1L, 500L, true, "kite", 2u), (events.Records, events.FirstSeq, events.LastSeq, events.Sealed, events.Header!.Source, events.Header.DecoderVersion));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_instead_of_waiting()
    {
        JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = _directory.FullName, QueueCapacity = 16 }, "sim", 1);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            accepted += recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Tick, 0, 0, s_start, new byte[256]) ? 1 : 0;
        }

        await recorder.DisposeAsync();
        JournalRecorderStatus status = recorder.Status;
        Assert.Equal(100_000, status.Recorded + status.Dropped);
        Assert.Equal(accepted, status.Recorded);
        Assert.True(status.Dropped > 0, "16 slots cannot have taken 100,000 records as fast as they came");
    }

    [Fact]
    public async Task A_directory_it_cannot_write_stops_recording_with_a_clear_state()
    {
        string file = Path.Combine(_directory.FullName, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var options = new JournalOptions { Directory = Path.Combine(_directory.FullName, "ok") };
        JournalRecorder recorder = JournalRecorder.Start(options, "sim", 1);
        Directory.Delete(options.Directory);
        File.Copy(file, options.Directory);
        recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Tick, 0, 0, s_start, [1]);
        await recorder.DisposeAsync();
        Assert.Equal(JournalRecorderState.Failed, recorder.Status.State);
        Assert.StartsWith($"recording into {options.Directory} stopped:", recorder.Status.LastError);
        Assert.False(recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Tick, 0, 0, s_start, [1]));
    }
}
