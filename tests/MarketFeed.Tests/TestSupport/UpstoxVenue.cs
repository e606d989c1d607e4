using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Venues.Upstox;
using MarketFeed.Venues.Upstox.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.TestSupport;

/// <summary>The Upstox adapter in a host, connected over loopback to an Upstox emulator; timeouts short so faults play out in seconds.</summary>
internal sealed class UpstoxVenue : IAsyncDisposable
{
    private UpstoxVenue(UpstoxEmulator emulator, MarketFeedHost host, UpstoxFeed feed, IConfigurationRoot configuration)
    {
        Emulator = emulator;
        Host = host;
        Feed = feed;
        Configuration = configuration;
    }

    public UpstoxEmulator Emulator { get; }

    public MarketFeedHost Host { get; }

    public UpstoxFeed Feed { get; }

    /// <summary>Live configuration: change a value and the feed reads it on its next attempt.</summary>
    public IConfigurationRoot Configuration { get; }

    public static async Task<UpstoxVenue> StartAsync(double ticksPerSecond = 20, string? faults = null, IDictionary<string, string?>? settings = null)
    {
        UpstoxEmulator emulator = await UpstoxEmulator.StartAsync(new UpstoxEmulatorOptions { TicksPerInstrumentPerSecond = ticksPerSecond, Faults = faults });
        var values = new Dictionary<string, string?>
        {
            ["Upstox:AccessToken"] = "emulator-token",
            ["Upstox:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Upstox:InstrumentsUrl"] = emulator.InstrumentsUrl.ToString(),
            ["Upstox:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-upstox-").FullName,
            ["Upstox:RequestsPerSecond"] = "50",
            ["Upstox:Stream:IdleTimeout"] = "00:00:02",
            ["Upstox:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Upstox:Stream:ReconnectMaxDelay"] = "00:00:00.500",
            ["Upstox:Stream:AuthRetryDelay"] = "00:00:00.500",
            ["Upstox:Stream:FailoverAfter"] = "00:00:01",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var feed = new UpstoxFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        return new UpstoxVenue(emulator, host, feed, configuration);
    }

    public Task WaitForStateAsync(FeedState state, int timeoutMs = 15_000) => SimulatedHost.WaitUntil(() => Feed.Health.State == state, timeoutMs);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
