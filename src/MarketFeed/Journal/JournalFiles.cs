namespace MarketFeed.Journal;

/// <summary>Where a recording's files are: <c>raw/</c> and <c>events/</c> under its directory, segments named by first sequence number and trading day.</summary>
public static class JournalFiles
{
    public static string LogDirectory(string journal, JournalLogKind log) =>
        Path.Combine(journal, log == JournalLogKind.Raw ? "raw" : "events");

    /// <summary>The log's segments in sequence order (sealed and open).</summary>
    public static IReadOnlyList<string> Segments(string journal, JournalLogKind log)
    {
        string directory = LogDirectory(journal, log);
        return !Directory.Exists(directory) ? [] :
        [
            .. Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(JournalFormat.SealedExtension, StringComparison.Ordinal) || f.EndsWith(JournalFormat.OpenExtension, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>The one line saying <paramref name="directory"/> holds no recording.</summary>
    public static string NotAJournal(string directory) =>
        $"{directory}: not a MarketFeed journal (no raw/ or events/ folder); record one with `marketfeed record` or `marketfeed run --record`";

    /// <summary>True when <paramref name="directory"/> holds a recording (either log).</summary>
    public static bool IsJournal(string directory) =>
        Directory.Exists(LogDirectory(directory, JournalLogKind.Raw)) || Directory.Exists(LogDirectory(directory, JournalLogKind.Normalized));
}
