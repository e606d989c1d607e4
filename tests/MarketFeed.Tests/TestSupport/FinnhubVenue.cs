using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Finnhub.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.TestSupport;

/// <summary>The Finnhub adapter in a host, connected over loopback to a Finnhub emulator; pings and timeouts short so faults play out in seconds.</summary>
internal sealed class FinnhubVenue : IAsyncDisposable
{
    private FinnhubVenue(FinnhubEmulator emulator, MarketFeedHost host, FinnhubFeed feed, IConfigurationRoot configuration, string cache)
    {
        Emulator = emulator;
        Host = host;
        Feed = feed;
        Configuration = configuration;
        CacheDirectory = cache;
    }

    public FinnhubEmulator Emulator { get; }

    public MarketFeedHost Host { get; }

    public FinnhubFeed Feed { get; }

    /// <summary>Live configuration: change a value and the feed reads it on its next attempt.</summary>
    public IConfigurationRoot Configuration { get; }

    public string CacheDirectory { get; }

    public static async Task<FinnhubVenue> StartAsync(
        double tradesPerSecond = 20, string? faults = null, IDictionary<string, string?>? settings = null, FinnhubEmulatorOptions? emulatorOptions = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        FinnhubEmulatorOptions options = emulatorOptions ?? new FinnhubEmulatorOptions();
        options.TradesPerSymbolPerSecond = tradesPerSecond;
        options.Faults = faults;
        if (emulatorOptions is null)
        {
            options.PingInterval = TimeSpan.FromMilliseconds(250);
            options.CallsPerMinute = 600;
        }

        FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(options);
        string cache = Directory.CreateTempSubdirectory("mf-finnhub-").FullName;
        var values = new Dictionary<string, string?>(new FinnhubModule().ConfigurationFor(emulator.Address, cache))
        {
            ["Finnhub:CallsPerMinute"] = "600",
            ["Finnhub:Stream:IdleTimeout"] = "00:00:02",
            ["Finnhub:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Finnhub:Stream:ReconnectMaxDelay"] = "00:00:00.500",
            ["Finnhub:Stream:AuthRetryDelay"] = "00:00:00.500",
            ["Finnhub:Stream:FailoverAfter"] = "00:00:01",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var feed = new FinnhubFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 }, loggerFactory: loggers);
        return new FinnhubVenue(emulator, host, feed, configuration, cache);
    }

    public Task WaitForStateAsync(FeedState state, int timeoutMs = 15_000) => SimulatedHost.WaitUntil(() => Feed.Health.State == state, timeoutMs);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(CacheDirectory, recursive: true);
    }
}
