using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Kraken.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Kraken v2 under chaos: the adapter against its emulator over loopback, behind the real gateway. Public data: no credentials.</summary>
public sealed class KrakenChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: false, Books: true, BookGapFault: "badchecksum");

    [Fact]
    public async Task A_pair_whose_symbol_holds_a_slash_is_addressed_in_a_path_with_an_encoded_slash()
    {
        // KRAKEN:BTC/USD can only travel in a path as KRAKEN:BTC%2FUSD, which Kestrel leaves encoded in route values.
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe([venue.First], new SubscriberOptions { Mode = FeedMode.Full });
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 3);
        string path = Uri.EscapeDataString(venue.First);
        Assert.Equal("KRAKEN%3ABTC%2FUSD", path);

        JsonElement latest = await venue.GetJsonAsync($"/api/ticks/{path}/latest");
        Assert.Equal(venue.First, latest.GetProperty("symbol").GetString());

        // The book may still be loading its first snapshot: wait for it, then read it by the encoded path.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await venue.Http.GetAsync($"/api/books/{path}?depth=5")).StatusCode) != HttpStatusCode.OK)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"GET /api/books/{path}: {status}");
            await Task.Delay(100);
        }

        JsonElement book = await venue.GetJsonAsync($"/api/books/{path}?depth=5");
        Assert.Equal(venue.First, book.GetProperty("symbol").GetString());
        JsonElement candles = await venue.GetJsonAsync($"/api/candles/{path}?interval=1m&count=5");
        Assert.Equal(JsonValueKind.Array, candles.ValueKind);

        // The one-symbol WebSockets take the same encoded path.
        string authority = venue.Http.BaseAddress!.Authority;
        using var ticks = new ClientWebSocket();
        await ticks.ConnectAsync(new Uri($"ws://{authority}/ws/ticks/{path}"), CancellationToken.None);
        await GatewayFixture.ReceiveUntilAsync(ticks, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("symbol").GetString() == venue.First);
        using var bars = new ClientWebSocket();
        await bars.ConnectAsync(new Uri($"ws://{authority}/ws/candles/{path}?interval=1s"), CancellationToken.None);
        await GatewayFixture.ReceiveUntilAsync(bars, m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("symbol").GetString() == venue.First);
    }

    protected override async Task<ChaosVenue> StartAsync()
    {
        KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20, RestCallsPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Kraken"))
        {
            ["Kraken:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kraken:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kraken:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kraken-chaos-").FullName,
            ["Kraken:PollInterval"] = "00:00:00.500",
            ["Kraken:RestRequestsPerSecond"] = "10",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new KrakenFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "KRAKEN:BTC/USD", "KRAKEN:ETH/USD", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        emulator.Sent += (symbol, tick) =>
        {
            if (tick.Ltp.HasValue)
            {
                venue.RecordSent("KRAKEN:" + symbol, tick.Ltp);
            }
        };

        // Quiet until somebody subscribes but for its status message, and pinged when idle: connected means a frame arrived.
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
