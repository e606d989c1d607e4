using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Venues.Dhan;
using MarketFeed.Venues.Dhan.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.TestSupport;

/// <summary>The Dhan adapter in a host, connected over loopback to a Dhan emulator; timeouts short so faults play out in seconds.</summary>
internal sealed class DhanVenue : IAsyncDisposable
{
    private DhanVenue(DhanEmulator emulator, MarketFeedHost host, DhanFeed feed, IConfigurationRoot configuration)
    {
        Emulator = emulator;
        Host = host;
        Feed = feed;
        Configuration = configuration;
    }

    public DhanEmulator Emulator { get; }

    public MarketFeedHost Host { get; }

    public DhanFeed Feed { get; }

    /// <summary>Live configuration: change a value and the feed reads it on its next attempt.</summary>
    public IConfigurationRoot Configuration { get; }

    public static async Task<DhanVenue> StartAsync(string? accessToken = null, double ticksPerSecond = 20, string? faults = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions { TicksPerInstrumentPerSecond = ticksPerSecond, Faults = faults });
        var values = new Dictionary<string, string?>(DhanEmulatorSettings.For(emulator, Directory.CreateTempSubdirectory("mf-dhan-").FullName, accessToken))
        {
            ["Dhan:QuoteRequestsPerSecond"] = "10",
            ["Dhan:TooManyConnectionsBackoff"] = "00:00:03",
            ["Dhan:Stream:IdleTimeout"] = "00:00:02",
            ["Dhan:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Dhan:Stream:ReconnectMaxDelay"] = "00:00:00.500",
            ["Dhan:Stream:AuthRetryDelay"] = "00:00:00.500",
            ["Dhan:Stream:FailoverAfter"] = "00:00:01",
            ["Dhan:DepthStream:IdleTimeout"] = "00:00:02",
            ["Dhan:DepthStream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Dhan:DepthStream:ReconnectMaxDelay"] = "00:00:00.500",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var feed = new DhanFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        return new DhanVenue(emulator, host, feed, configuration);
    }

    public Task WaitForStateAsync(FeedState state, int timeoutMs = 15_000) => SimulatedHost.WaitUntil(() => Feed.Health.State == state, timeoutMs);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
