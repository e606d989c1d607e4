using System.Text;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Finnhub.Emulator;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>The Finnhub feed end to end against its emulator: the symbol cap, duplicate trades, the token, candles.</summary>
public class FinnhubFeedTests
{
    private static string StatusText(FinnhubVenue venue)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StatusJson.Write(writer, venue.Host.Status());
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task Over_the_symbol_cap_the_refused_instrument_alone_shows_error_with_finnhubs_text()
    {
        await using FinnhubVenue venue = await FinnhubVenue.StartAsync(faults: "toomanysymbols=1");
        await venue.WaitForStateAsync(FeedState.Connected);
        await using MarketSubscription first = venue.Host.Subscribe("FINNHUB:AAPL");
        await KiteVenue.CollectAsync(first, t => t.Count >= 2);
        await using MarketSubscription second = venue.Host.Subscribe("FINNHUB:MSFT");
        await SimulatedHost.WaitUntil(() => venue.Emulator.RefusedSubscriptions >= 1
            && venue.Host.Status().Instruments.Any(i => i.Symbol == "FINNHUB:MSFT" && i.State == InstrumentHealthState.Error));

        MarketStatus status = venue.Host.Status();
        InstrumentStatus refused = status.Instruments.Single(i => i.Symbol == "FINNHUB:MSFT");
        InstrumentStatus served = status.Instruments.Single(i => i.Symbol == "FINNHUB:AAPL");
        Assert.Equal("Subscribing to too many symbols", refused.Error);
        Assert.Contains(served.State, new[] { InstrumentHealthState.Live, InstrumentHealthState.Closed });
        Assert.Null(served.Error);
        Assert.Equal(FeedState.Connected, status.Feeds.Single().State);
        Assert.Equal([["AAPL"]], venue.Emulator.Subscriptions);

        JsonElement json = JsonDocument.Parse(StatusText(venue)).RootElement;
        JsonElement msft = json.GetProperty("instruments").EnumerateArray().Single(i => i.GetProperty("symbol").GetString() == "FINNHUB:MSFT");
        Assert.Equal(("error", "Subscribing to too many symbols"), (msft.GetProperty("state").GetString(), msft.GetProperty("error").GetString()));

        // The cap lifted and the subscription made again (a reconnect replays it): the error is gone and trades flow.
        venue.Emulator.SetFaults("-toomanysymbols");
        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => venue.Host.Status().Instruments.All(i => i.Error is null)
            && venue.Emulator.Subscriptions.SingleOrDefault()?.Count == 2);
        await KiteVenue.CollectAsync(second, t => t.Any(x => x.Instrument == venue.Host.Resolve("FINNHUB:MSFT").Id));
    }

    [Fact]
    public async Task Duplicate_trade_frames_are_dropped_counted_and_shown_in_status()
    {
        await using FinnhubVenue venue = await FinnhubVenue.StartAsync(faults: "duptrades=3");
        await venue.WaitForStateAsync(FeedState.Connected);
        long sent = 0;
        venue.Emulator.Sent += (symbol, _, _, time) => Interlocked.Add(ref sent, symbol == "AAPL" && time != 0 ? 1 : 0);
        await using MarketSubscription sub = venue.Host.Subscribe(["FINNHUB:AAPL"], new SubscriberOptions { Mode = FeedMode.Full });
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Count >= 20);

        Assert.True(venue.Feed.Health.DuplicatesDropped >= 2 * ticks.Count - 6, $"{venue.Feed.Health.DuplicatesDropped} dropped for {ticks.Count} delivered");
        Assert.True(Interlocked.Read(ref sent) >= 3 * ticks.Count - 9);

        // No trade delivered twice: consecutive ticks never repeat time, price and size together.
        Assert.DoesNotContain(ticks.Zip(ticks.Skip(1)), p => p.First.ExchangeTime == p.Second.ExchangeTime && p.First.Ltp == p.Second.Ltp && p.First.Ltq == p.Second.Ltq);
        JsonElement feed = JsonDocument.Parse(StatusText(venue)).RootElement.GetProperty("feeds")[0];
        Assert.True(feed.GetProperty("duplicatesDropped").GetInt64() > 0);
    }

    [Fact]
    public async Task The_token_never_appears_in_logs_errors_or_status_whatever_fails()
    {
        const string Token = "fh-SECRET-token-4242";
        var logger = new CollectingLogger();
        using ILoggerFactory loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new Provider(logger)));
        await using FinnhubVenue venue = await FinnhubVenue.StartAsync(
            settings: new Dictionary<string, string?> { ["Finnhub:Token"] = Token },
            emulatorOptions: new FinnhubEmulatorOptions { Token = Token, PingInterval = TimeSpan.FromMilliseconds(250), CallsPerMinute = 600 },
            loggers: loggers);
        await venue.WaitForStateAsync(FeedState.Connected);
        await using MarketSubscription sub = venue.Host.Subscribe("FINNHUB:AAPL");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        // A refused stream, a REST outage, then rejected credentials: every error path has run.
        venue.Emulator.Faults.RefuseStream = true;
        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.State is FeedState.Polling);
        venue.Emulator.Faults.RestDown = true;
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.State is FeedState.Disconnected);
        string downStatus = StatusText(venue);
        venue.Emulator.Faults.RestDown = false;
        venue.Emulator.Faults.RefuseStream = false;
        venue.Emulator.Faults.RejectAuth = true;
        venue.Emulator.DropConnections();
        await venue.WaitForStateAsync(FeedState.AuthFailed);
        IReadOnlyList<DoctorCheck> checks = await venue.Feed.CheckAsync(CancellationToken.None);

        Assert.Contains("credentials", venue.Feed.Health.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(logger.Lines);
        Assert.All(logger.Lines, l => Assert.DoesNotContain(Token, l.Message));
        Assert.DoesNotContain(Token, downStatus);
        Assert.DoesNotContain(Token, StatusText(venue));
        Assert.All(checks, c => Assert.DoesNotContain(Token, c.Detail));
        Assert.DoesNotContain(Token, venue.Feed.Health.LastError);
    }

    [Fact]
    public async Task Candles_start_from_live_trades_unless_the_plan_has_history_and_a_403_turns_history_off()
    {
        await using FinnhubVenue free = await FinnhubVenue.StartAsync(settings: new Dictionary<string, string?> { ["Finnhub:HistoricalCandles"] = "true" });
        Instrument aapl = free.Host.Resolve("FINNHUB:AAPL");
        Assert.Empty(await free.Feed.GetHistoryAsync(aapl, CandleInterval.OneMinute, DateTime.UtcNow, 10, CancellationToken.None));
        long calls = free.Feed.Rest.Calls;
        Assert.Empty(await free.Feed.GetHistoryAsync(aapl, CandleInterval.OneMinute, DateTime.UtcNow, 10, CancellationToken.None));
        Assert.Equal(calls, free.Feed.Rest.Calls);

        await using FinnhubVenue premium = await FinnhubVenue.StartAsync(
            tradesPerSecond: 50,
            settings: new Dictionary<string, string?> { ["Finnhub:HistoricalCandles"] = "true" },
            emulatorOptions: new FinnhubEmulatorOptions { PremiumCandles = true, PingInterval = TimeSpan.FromMilliseconds(250), CallsPerMinute = 600 });
        Instrument btc = premium.Host.Resolve("FINNHUB:BINANCE:BTCUSDT");
        // The first minute the emulator traded from its start: it may have started in the last instant of the one before.
        DateTime soon = DateTime.UtcNow.AddSeconds(1);
        DateTime minute = soon.AddTicks(-(soon.Ticks % TimeSpan.TicksPerMinute));
        await SimulatedHost.WaitUntil(() => DateTime.UtcNow >= minute.AddMinutes(1).AddMilliseconds(200), 70_000);
        IReadOnlyList<Candle> bars = await premium.Feed.GetHistoryAsync(btc, CandleInterval.OneMinute, DateTime.UtcNow, 10, CancellationToken.None);
        Candle bar = Assert.Single(bars, b => b.Start == minute);
        Assert.True(bar.Low <= bar.Open && bar.Open <= bar.High && bar.Volume.ToDecimal() > 0);
    }

    private sealed class Provider(CollectingLogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
