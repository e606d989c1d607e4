using MarketFeed.Venues.Kite.Emulator;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.TestSupport;

/// <summary>The Kite adapter in a host, connected over loopback to a Kite emulator; timeouts short so faults play out in seconds.</summary>
internal sealed class KiteVenue : IAsyncDisposable
{
    private KiteVenue(KiteEmulator emulator, MarketFeedHost host, KiteFeed feed, IConfigurationRoot configuration)
    {
        Emulator = emulator;
        Host = host;
        Feed = feed;
        Configuration = configuration;
    }

    public KiteEmulator Emulator { get; }

    public MarketFeedHost Host { get; }

    public KiteFeed Feed { get; }

    /// <summary>Live configuration: change a value and the feed reads it on its next attempt.</summary>
    public IConfigurationRoot Configuration { get; }

    public static async Task<KiteVenue> StartAsync(string? accessToken = null, double ticksPerSecond = 20, string? faults = null, bool polling = false)
    {
        KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions
        {
            TicksPerInstrumentPerSecond = ticksPerSecond,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            Faults = faults,
        });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = accessToken ?? "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kite-").FullName,
            ["Kite:QuoteRequestsPerSecond"] = "10",
            ["Kite:Stream:IdleTimeout"] = "00:00:02",
            ["Kite:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Kite:Stream:ReconnectMaxDelay"] = "00:00:00.500",
            ["Kite:Stream:AuthRetryDelay"] = "00:00:00.500",
            ["Kite:Stream:FailoverAfter"] = "00:00:01",
        }).Build();
        var feed = new KiteFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 }, pollingFeeds: polling ? [feed.Name] : null);
        return new KiteVenue(emulator, host, feed, configuration);
    }

    public Task WaitForStateAsync(FeedState state, int timeoutMs = 15_000) => SimulatedHost.WaitUntil(() => Feed.Health.State == state, timeoutMs);

    /// <summary>Reads ticks until <paramref name="done"/> says enough.</summary>
    public static async Task<List<Tick>> CollectAsync(MarketSubscription subscription, Func<List<Tick>, bool> done, int timeoutMs = 15_000)
    {
        var ticks = new List<Tick>();
        using var timeout = new CancellationTokenSource(timeoutMs);
        await foreach (Tick tick in subscription.Ticks(timeout.Token))
        {
            ticks.Add(tick);
            if (done(ticks))
            {
                break;
            }
        }

        return ticks;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
