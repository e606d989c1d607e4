using System.Globalization;
using System.Text.Json;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Venues;
using MarketFeed.Venues.Binance.Emulator;
using MarketFeed.Venues.Kite.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>
/// Binance and Kite emulators, and one gateway running both venues' feeds side by side, built the way <c>run --feed
/// binance,kite</c> builds it: from the feed catalog and one configuration (so <c>Feeds:NAME:Mode</c> applies).
/// </summary>
internal sealed class TwoVenues : IAsyncDisposable
{
    private TwoVenues(BinanceEmulator binance, KiteEmulator kite, Gateway gateway)
    {
        Binance = binance;
        Kite = kite;
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = gateway.Address };
    }

    public BinanceEmulator Binance { get; }

    public KiteEmulator Kite { get; }

    public Gateway Gateway { get; }

    public MarketFeedHost Host => Gateway.Host;

    public HttpClient Http { get; }

    public static async Task<TwoVenues> StartAsync(IReadOnlyDictionary<string, string?>? extra = null, string? kiteFaults = null)
    {
        BinanceEmulator binance = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        KiteEmulator kite = await KiteEmulator.StartAsync(new KiteEmulatorOptions
        {
            TicksPerInstrumentPerSecond = 20,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            Faults = kiteFaults,
        });
        var settings = new Dictionary<string, string?>
        {
            ["Binance:StreamUrl"] = binance.StreamUrl.ToString().TrimEnd('/'),
            ["Binance:RestUrl"] = binance.RestUrl.ToString().TrimEnd('/'),
            ["Binance:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-two-binance-").FullName,
            ["Binance:PollInterval"] = "00:00:00.500",
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = kite.StreamUrl.ToString(),
            ["Kite:RestUrl"] = kite.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-two-kite-").FullName,
            ["Kite:QuoteRequestsPerSecond"] = "10",
        };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        MarketFeedHost host = await MarketFeedHost.StartAsync(new MarketFeedOptions
        {
            Feed = "binance,kite",
            Catalog = KnownVenues.Catalog,
            Configuration = configuration,
            Hub = new HubOptions { Partitions = 2 },
        });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        return new TwoVenues(binance, kite, gateway);
    }

    public async Task<JsonElement> FeedStatusAsync(string feed)
    {
        JsonElement status = JsonDocument.Parse(await Http.GetStringAsync("/api/status")).RootElement.Clone();
        return status.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("feed").GetString() == feed);
    }

    /// <summary>The value of the /metrics line that starts with <paramref name="series"/> (name and labels as printed); NaN when absent.</summary>
    public async Task<double> MetricAsync(string series)
    {
        string text = await Http.GetStringAsync("/metrics");
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Gateway.Host.DisposeAsync();
        await Kite.DisposeAsync();
        await Binance.DisposeAsync();
    }
}
