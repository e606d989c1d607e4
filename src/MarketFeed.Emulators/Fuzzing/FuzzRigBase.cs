using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// What every venue's <see cref="IFuzzRig"/> shares: the emulator, the host running the real feed against it, and a
/// temporary cache directory, started together (<see cref="StartAsync{TEmulator, TFeed, TRig}"/>) and disposed together.
/// A rig adds its controls, targets and how it judges fuzzed frames and decodes sent ones.
/// </summary>
public abstract class FuzzRigBase : IFuzzRig
{
    private readonly IVenueEmulator _emulator;
    private readonly string _cacheDirectory;

    protected FuzzRigBase(IVenueEmulator emulator, MarketFeedHost host, IFeed feed, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _emulator = emulator;
        _cacheDirectory = cacheDirectory;
        Host = host;
        Health = feed.Health;
    }

    public abstract string Venue { get; }

    public MarketFeedHost Host { get; }

    public FeedHealth Health { get; }

    public abstract int MaxFrameBytes { get; }

    public abstract IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; }

    public abstract IReadOnlyList<string> Targets { get; }

    public FuzzTally Tally { get; } = new();

    public abstract SentTickLog ControlTicks { get; }

    public long FramesSent => _emulator.FramesSent;

    public string SetFaults(string spec) => _emulator.SetFaults(spec);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _emulator.DisposeAsync();
        Directory.Delete(_cacheDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Starts the emulator, a temporary cache directory (<c>mf-{venue}-fuzz-*</c>), the feed and a two-partition host
    /// over it, then the rig; if any step after the emulator fails, disposes the emulator and deletes the cache.
    /// </summary>
    protected static async Task<TRig> StartAsync<TEmulator, TFeed, TRig>(
        Task<TEmulator> emulatorStarting,
        string venue,
        Func<TEmulator, string, TFeed> feedFor,
        Func<TEmulator, MarketFeedHost, TFeed, string, TRig> rigFor,
        CancellationToken cancellationToken)
        where TEmulator : IVenueEmulator
        where TFeed : IFeed
    {
        ArgumentNullException.ThrowIfNull(emulatorStarting);
        ArgumentNullException.ThrowIfNull(feedFor);
        ArgumentNullException.ThrowIfNull(rigFor);
        TEmulator emulator = await emulatorStarting;
        string cache = Directory.CreateTempSubdirectory($"mf-{venue}-fuzz-").FullName;
        try
        {
            TFeed feed = feedFor(emulator, cache);
            MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 }, cancellationToken: cancellationToken);
            return rigFor(emulator, host, feed, cache);
        }
        catch
        {
            await emulator.DisposeAsync();
            Directory.Delete(cache, recursive: true);
            throw;
        }
    }
}
