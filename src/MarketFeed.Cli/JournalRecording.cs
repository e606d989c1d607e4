using System.Globalization;
using System.Text;
using MarketFeed.Emulators.Replay;
using MarketFeed.Hosting;
using MarketFeed.Journal;
using MarketFeed.Venues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Cli;

/// <summary>A host whose feed is being recorded: the raw-frame tap, the event pump and the recorder, started and stopped together.</summary>
internal sealed class JournalRecording : IAsyncDisposable
{
    private readonly JournalRecorder _recorder;
    private JournalEventPump? _pump;
    private readonly ScratchDirectory _instrumentCache = new("marketfeed-record-");
    private bool _stopped;

    private JournalRecording(JournalRecorder recorder) => _recorder = recorder;

    public MarketFeedHost Host { get; private set; } = null!;

    /// <summary>The <c>Journal</c> section's intervals and retention, recording into <paramref name="directory"/> (always the one given on the command line).</summary>
    public static JournalOptions Options(IConfiguration configuration, string directory)
    {
        var options = new JournalOptions();
        configuration.GetSection("Journal").Bind(options);
        options.Directory = Path.GetFullPath(directory);
        return options;
    }

    public static async Task<JournalRecording> StartAsync(
        CliEnvironment environment, IConfiguration configuration, string feed, JournalOptions options, CancellationToken cancellationToken, MarketFeed.History.CandleStoreOptions? history = null)
    {
        CliOptions.Single(feed, "record");
        if (Directory.Exists(options.Directory) && Directory.EnumerateFileSystemEntries(options.Directory).Any() && !JournalFiles.IsJournal(options.Directory))
        {
            throw new UsageException($"{options.Directory} exists and is not a journal: record into an empty or new directory");
        }

        var recording = new JournalRecording(JournalRecorder.Start(options, feed, decoderVersion: 1, environment.Time, environment.LoggerFactory.CreateLogger("MarketFeed.Journal")));
        try
        {
            recording.Host = await CliHost.StartAsync(environment, recording.WithFreshInstrumentCache(configuration, feed), feed, cancellationToken, new JournalRawFrameTap(recording._recorder), history);
            recording._pump = JournalEventPump.Start(recording.Host.Hub, recording.Host.Instruments, recording._recorder);
            recording.Host.ReportJournal(() => recording.Status);
            return recording;
        }
        catch
        {
            await recording.DisposeAsync();
            throw;
        }
    }

    /// <summary>The recorder's state, with the events the hub's firehose could not hold for it counted as dropped.</summary>
    public JournalRecorderStatus Status
    {
        get
        {
            JournalRecorderStatus status = _recorder.Status;
            return status with { Dropped = status.Dropped + (_pump?.FirehoseDropped ?? 0) };
        }
    }

    /// <summary>Notes the symbols recorded in the raw log of a venue (the simulator has none), so a raw replay subscribes them again.</summary>
    public void MarkSymbols(IEnumerable<string> symbols)
    {
        if (Host.Feeds.Any(f => KnownVenues.Find(f.Name) is not null))
        {
            _recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.Marker, 0, 0, Host.Time.GetUtcNow().UtcDateTime, Encoding.UTF8.GetBytes(RawRecording.SymbolsMarker + string.Join(',', symbols)));
        }
    }

    /// <summary>
    /// A venue's instrument list is downloaded afresh for a recording (into a new cache folder), so it reaches the raw
    /// log as a REST answer and a raw replay resolves the recorded tokens to the same instruments.
    /// </summary>
    private IConfiguration WithFreshInstrumentCache(IConfiguration configuration, string feed) =>
        KnownVenues.Find(feed) is { } module
            ? new ConfigurationBuilder().AddConfiguration(configuration)
                .AddInMemoryCollection(module.ConfigurationFor(null, _instrumentCache.Path)).Build()
            : configuration;

    /// <summary>One line for a progress display: records, size, drops, and how far the disk has caught up.</summary>
    public string Progress()
    {
        JournalRecorderStatus status = Status;
        return string.Create(CultureInfo.InvariantCulture,
            $"{status.Recorded:N0} records, {status.Bytes / 1_048_576.0:0.0} MiB, {status.Dropped:N0} dropped, on disk through {status.DurableThrough:HH:mm:ss} UTC ");
    }

    /// <summary>The closing line: what was recorded, and why recording stopped if it failed.</summary>
    public string Summary()
    {
        JournalRecorderStatus status = Status;
        return string.Create(CultureInfo.InvariantCulture,
            $"recorded {status.Recorded:N0} records ({status.Bytes / 1_048_576.0:0.0} MiB), dropped {status.Dropped:N0}{(status.LastError is { } error ? ": " + error : "")}");
    }

    /// <summary>Stops the feed, records what is still queued, seals the segments.</summary>
    public async Task<JournalRecorderStatus> StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }

            if (_pump is not null)
            {
                await _pump.DisposeAsync();
            }

            await _recorder.DisposeAsync();
            _instrumentCache.Dispose();
        }

        return Status;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
