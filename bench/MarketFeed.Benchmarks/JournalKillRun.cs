using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using MarketFeed.Journal;

namespace MarketFeed.Benchmarks;

/// <summary>
/// <c>journal-kill KILLS [RATE]</c>: what a <c>kill -9</c> costs a recording. A child process records RATE records a
/// second (default 20,000, far above any venue's frame rate) and prints every 1,000th record it handed to the recorder; the parent kills it with SIGKILL at a random moment,
/// reopens the journal (recovering the open segment) and compares: records the child said it handed over that are not
/// recovered, and the recording time lost — from the last recovered record to the kill. Repeated KILLS times; every reopen must also find the log whole (no damaged record
/// before the tail, sequence numbers without a hole).
/// </summary>
internal static class JournalKillRun
{
    private const int PayloadBytes = 120;

    public static async Task<int> RunAsync(string[] args)
    {
        int kills = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        int rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        string directory = Directory.CreateTempSubdirectory("mf-journal-kill-").FullName;
        var options = new JournalOptions { Directory = directory };
        var random = new Random(11);
        var lostRecords = new List<long>();
        var lostMs = new List<double>();
        long recoveredTotal = 0;
        Console.WriteLine($"journal-kill: {kills} kills at {rate:N0} records/s, OS flush every {options.OsFlushInterval.TotalMilliseconds} ms, disk flush every {options.DiskFlushInterval.TotalMilliseconds} ms, into {directory}");
        for (int kill = 0; kill < kills; kill++)
        {
            (long handedOver, DateTime killedAt) = await RunChildAndKillAsync(directory, rate, TimeSpan.FromMilliseconds(150 + random.Next(400)));
            (long lastSeq, DateTime lastAt, long records) = Reopen(directory);
            recoveredTotal = records;
            long lost = Math.Max(0, handedOver - lastSeq);
            lostRecords.Add(lost);
            lostMs.Add(Math.Max(0, (killedAt - lastAt).TotalMilliseconds));
        }

        lostRecords.Sort();
        lostMs.Sort();
        Console.WriteLine($"records recovered in all: {recoveredTotal:N0}; the log was whole after every reopen");
        Console.WriteLine($"records handed over but lost per kill: median {lostRecords[lostRecords.Count / 2]}, p95 {lostRecords[(int)(lostRecords.Count * 0.95)]}, worst {lostRecords[^1]}");
        Console.WriteLine($"recording time lost per kill, last recovered record to the kill (ms): median {lostMs[lostMs.Count / 2]:0.0}, p95 {lostMs[(int)(lostMs.Count * 0.95)]:0.0}, worst {lostMs[^1]:0.0} (OS flush interval {options.OsFlushInterval.TotalMilliseconds} ms)");
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>The child: records forever, printing "N TICKS" after every 1,000th record handed over.</summary>
    public static async Task<int> WriteForeverAsync(string directory, int rate)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = directory }, "kill-test", 1);
        long seq = NextSeq(directory);
        byte[] payload = new byte[PayloadBytes];
        while (true)
        {
            DateTime now = DateTime.UtcNow;
            BinaryPrimitives.WriteInt64LittleEndian(payload, seq);
            if (recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 1, now, payload))
            {
                if (seq % 1_000 == 0)
                {
                    Console.Out.WriteLine(seq.ToString(CultureInfo.InvariantCulture));
                    await Console.Out.FlushAsync();
                }

                seq++;
                if (++sent % 100 == 0 && TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed is { TotalMilliseconds: > 1 } ahead)
                {
                    await Task.Delay(ahead);
                }
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Runs a child, kills it; returns the last record it said it handed over and the moment of the kill.</summary>
    private static async Task<(long HandedOver, DateTime KilledAt)> RunChildAndKillAsync(string directory, int rate, TimeSpan after)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(JournalKillRun).Assembly.Location, "journal-kill-child", directory, rate.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
        {
            start = new ProcessStartInfo(Environment.ProcessPath!, ["journal-kill-child", directory, rate.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true };
        }

        using Process child = Process.Start(start)!;
        long handed = 0;
        Task reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                string[] parts = line.Split(' ');
                handed = long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        });
        while (Volatile.Read(ref handed) == 0 && !child.HasExited)
        {
            await Task.Delay(5);
        }

        await Task.Delay(after);
        DateTime killedAt = DateTime.UtcNow;
        child.Kill(); // SIGKILL on Unix: no finalizer, no flush, no seal
        await child.WaitForExitAsync();
        await reading;
        return (handed, killedAt);
    }

    /// <summary>Reopens the log as the next run would (recovering the open segment) and checks it end to end.</summary>
    private static (long LastSeq, DateTime LastAt, long Records) Reopen(string directory)
    {
        using (JournalLogWriter.Open(new JournalOptions { Directory = directory }, JournalLogKind.Raw, "kill-test", 1))
        {
        }

        long records = 0;
        long last = 0;
        DateTime lastAt = default;
        var reader = new JournalLogReader(directory, JournalLogKind.Raw);
        foreach (JournalRecord record in reader.Read())
        {
            long payloadSeq = BinaryPrimitives.ReadInt64LittleEndian(record.Payload.Span);
            if (record.Seq != payloadSeq || record.Seq != last + 1)
            {
                throw new InvalidOperationException($"record {record.Seq} holds {payloadSeq} after {last}: the log is not whole");
            }

            last = record.Seq;
            lastAt = record.RecordedAt;
            records++;
        }

        if (reader.Gaps != 0)
        {
            throw new InvalidOperationException($"{reader.Gaps} records missing inside the log");
        }

        return (last, lastAt, records);
    }

    private static long NextSeq(string directory)
    {
        using JournalLogWriter log = JournalLogWriter.Open(new JournalOptions { Directory = directory }, JournalLogKind.Raw, "kill-test", 1);
        return log.NextSeq;
    }
}
