using Microsoft.Win32.SafeHandles;

namespace MarketFeed.Journal;

/// <summary>Where and how a recording is written (configuration section <c>Journal</c>).</summary>
public sealed class JournalOptions
{
    /// <summary>The recording's directory (one folder per log inside). Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A segment is sealed and a new one started past this size. Default 64 MiB.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Records reach the OS at least this often while they come in (a killed process loses no more). Default 5 ms.</summary>
    public TimeSpan OsFlushInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Records reach the disk at least this often (a machine losing power loses no more). Default 1 s.</summary>
    public TimeSpan DiskFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records waiting for the writer; past this, new ones are dropped and counted, never waited for. Default 65,536.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>The time zone whose midnight starts a new trading day, and a new segment. Default UTC.</summary>
    public TimeZoneInfo TradingDayZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Sealed segments older than this are deleted, whole. Default none (keep everything).</summary>
    public TimeSpan? RetainFor { get; set; }

    /// <summary>Sealed segments are deleted, oldest first, while a log is larger than this. Default none.</summary>
    public long? RetainBytes { get; set; }

    /// <summary>
    /// Creates a new segment file (default: <see cref="File.OpenHandle"/>, failing if it exists). A seam for tests, which
    /// hand the writer a file whose writes fail as a full disk's do (<c>/dev/full</c>: ENOSPC).
    /// </summary>
    internal Func<string, SafeFileHandle>? CreateSegmentFile { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Journal:Directory is required: the folder to record into");
        }

        if (SegmentBytes < 64 * 1024 || OsFlushInterval <= TimeSpan.Zero || DiskFlushInterval <= TimeSpan.Zero || QueueCapacity < 16)
        {
            throw new ArgumentException("Journal: SegmentBytes at least 64 KiB, OsFlushInterval and DiskFlushInterval positive, QueueCapacity at least 16");
        }
    }
}
