using System.CommandLine;
using System.Globalization;
using MarketFeed.Cli.Output;
using MarketFeed.Journal;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed journal info DIR</c>: what a recording holds, log by log. <c>marketfeed journal verify DIR</c>: reads
/// every record and reports every damaged segment with the file, the offset and what is recoverable; exit 2 on damage.
/// Both name time indexes that are missing or damaged (seeks scan those segments); <c>marketfeed journal index DIR</c>
/// rebuilds them.
/// </summary>
internal static class JournalCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var infoDirectory = new Argument<string>("directory") { Description = "The journal directory" };
        var info = new Command("info", "What a journal holds: segments, time span, instruments, records, damaged records") { infoDirectory };
        info.SetAction((parse, _) => Report(environment, parse.GetValue(infoDirectory)!, verify: false));
        var verifyDirectory = new Argument<string>("directory") { Description = "The journal directory" };
        var verify = new Command("verify", "Check every record; say what is damaged and what can be recovered (exit 2 on damage)") { verifyDirectory };
        verify.SetAction((parse, _) => Report(environment, parse.GetValue(verifyDirectory)!, verify: true));
        var indexDirectory = new Argument<string>("directory") { Description = "The journal directory" };
        var index = new Command("index", "Rebuild the time index of every sealed segment whose index is missing or damaged") { indexDirectory };
        index.SetAction((parse, _) => RebuildIndexes(environment, parse.GetValue(indexDirectory)!));
        return new Command("journal", "Inspect and verify recordings") { info, verify, index };
    }

    private static async Task<int> Report(CliEnvironment environment, string directory, bool verify)
    {
        RequireJournal(directory);
        TextWriter output = environment.Output;
        int damaged = 0;
        int unindexed = 0;
        foreach (JournalLogKind log in new[] { JournalLogKind.Raw, JournalLogKind.Normalized })
        {
            IReadOnlyList<string> segments = JournalFiles.Segments(directory, log);
            if (segments.Count == 0)
            {
                continue;
            }

            // Progress by bytes: segments differ in size (the last one is usually short).
            var summaries = new List<SegmentSummary>();
            var progress = new ProgressBar(environment.Error, log == JournalLogKind.Raw ? "raw   " : "events", environment.Time);
            long total = segments.Sum(s => new FileInfo(s).Length);
            long done = 0;
            for (int i = 0; i < segments.Count; i++)
            {
                summaries.Add(SegmentSummary.Of(segments[i]));
                done += new FileInfo(segments[i]).Length;
                progress.Report(total == 0 ? 1 : (double)done / total, $"{i + 1}/{segments.Count} segments");
            }

            progress.Clear();
            long records = summaries.Sum(s => s.Records);
            DateTime? first = summaries.Select(s => s.First).FirstOrDefault(t => t is not null);
            DateTime? last = summaries.Select(s => s.Last).LastOrDefault(t => t is not null);
            string name = log == JournalLogKind.Raw ? "raw frames" : "events";
            string source = summaries.Select(s => s.Header?.Source).FirstOrDefault(s => s is not null) ?? "?";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {records:N0} records in {segments.Count} segments ({summaries.Sum(s => new FileInfo(s.Path).Length) / 1_048_576.0:0.0} MiB) from {source}, {first:yyyy-MM-dd HH:mm:ss.fff} to {last:yyyy-MM-dd HH:mm:ss.fff} UTC"));
            if (log == JournalLogKind.Normalized)
            {
                await output.WriteLineAsync($"instruments: {string.Join(", ", Instruments(directory))}");
            }

            foreach (SegmentSummary summary in summaries.Where(s => s.End.Kind == SegmentEndKind.Damaged))
            {
                // A torn tail of the segment being written is what a crash leaves: the next run cuts it off.
                bool tornTail = !summary.Sealed && summary == summaries[^1];
                damaged += tornTail ? 0 : 1;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {summary.Path}: {(tornTail ? "torn tail" : "damaged")} at offset {summary.End.Offset}: {summary.End.Reason}; "
                    + $"{summary.Records:N0} records before it are whole{(tornTail ? " (cut off when recording resumes)" : ", the rest of the segment is not replayed")}"));
            }

            foreach (SegmentSummary summary in summaries.Where(s => s.Header is not null))
            {
                SegmentIndex index = SegmentIndex.Load(summary.Path, summary.Header!);
                if (index.State != SegmentIndexState.Whole)
                {
                    unindexed++;
                    string what = index.State == SegmentIndexState.Missing ? "time index missing" : $"time index damaged at offset {index.ProblemOffset}: {index.Problem}";
                    await output.WriteLineAsync($"  {index.Path}: {what}; a replay with --from scans this segment (rebuild with `marketfeed journal index`)");
                }
            }
        }

        if (verify)
        {
            string indexes = unindexed == 0 ? "" : $"; {unindexed} time index(es) to rebuild";
            await output.WriteLineAsync(damaged == 0 ? $"verify: every record is whole{indexes}" : $"verify: {damaged} damaged segment(s); the whole records before each damage are replayable{indexes}");
        }

        return verify && damaged > 0 ? 2 : 0;
    }

    private static async Task<int> RebuildIndexes(CliEnvironment environment, string directory)
    {
        RequireJournal(directory);
        int rebuilt = 0;
        foreach (string segment in new[] { JournalLogKind.Raw, JournalLogKind.Normalized }.SelectMany(l => JournalFiles.Segments(directory, l)))
        {
            // The segment being written gets its index rebuilt when recording resumes; a damaged header has no index to rebuild.
            SegmentSummary summary = SegmentSummary.Of(segment);
            if (!summary.Sealed || summary.Header is null || SegmentIndex.Load(segment, summary.Header).State == SegmentIndexState.Whole)
            {
                continue;
            }

            long records = SegmentIndex.Rebuild(segment);
            rebuilt++;
            await environment.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {SegmentIndex.PathFor(segment)}: rebuilt ({records:N0} records)"));
        }

        await environment.Output.WriteLineAsync($"index: {rebuilt} time index(es) rebuilt");
        return 0;
    }

    private static void RequireJournal(string directory)
    {
        if (!JournalFiles.IsJournal(directory))
        {
            throw new UsageException(JournalFiles.NotAJournal(directory));
        }
    }

    private static IEnumerable<string> Instruments(string directory) =>
        new JournalLogReader(directory, JournalLogKind.Normalized).Read()
            .Where(r => r.Kind == JournalRecordKind.Marker && JournalInstrumentCodec.IsInstrument(r.Payload.Span))
            .Select(r => JournalInstrumentCodec.Read(r.Payload.Span).Symbol)
            .Distinct()
            .Order(StringComparer.Ordinal);
}
