using System.Collections.Concurrent;
using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>The Dhan adapter against the Dhan emulator over real loopback sockets and HTTP.</summary>
public class DhanFeedTests
{
    [Fact]
    public async Task Each_mode_delivers_the_fields_dhan_sends_with_the_emulators_values_and_prev_close_as_close()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        var sent = new ConcurrentDictionary<(string, long), Tick>();
        venue.Emulator.Sent += (key, tick, mode) => sent[(key, tick.Ltp.Raw)] = tick;
        await using MarketSubscription ltp = venue.Host.Subscribe(["NSE:INFY"], new SubscriberOptions { Mode = FeedMode.Ltp });
        await using MarketSubscription quote = venue.Host.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { Mode = FeedMode.Quote });
        await using MarketSubscription full = venue.Host.Subscribe(["NSE:TCS"], new SubscriberOptions { Mode = FeedMode.Full });

        Tick infy = (await KiteVenue.CollectAsync(ltp, t => t.Count >= 3))[^1];
        Assert.Equal((FeedMode.Ltp, TickSource.Stream), (infy.Mode, infy.Source));
        Assert.False(infy.Volume.HasValue || infy.Bid.HasValue);
        Assert.True(infy.HasExchangeTime);

        Tick reliance = (await KiteVenue.CollectAsync(quote, t => t.Count >= 3))[^1];
        Tick relianceSent = sent[("NSE_EQ:2885", reliance.Ltp.Raw)];
        // Dhan stamps trades to the second.
        DateTime sentTime = relianceSent.ExchangeTime.AddTicks(-(relianceSent.ExchangeTime.Ticks % TimeSpan.TicksPerSecond));
        Assert.Equal((relianceSent.Volume, relianceSent.Open, relianceSent.High, relianceSent.Low, relianceSent.Atp, sentTime),
            (reliance.Volume, reliance.Open, reliance.High, reliance.Low, reliance.Atp, reliance.ExchangeTime));
        Assert.True(reliance.Close.HasValue);
        Assert.Equal(reliance.Ltp - reliance.Close, reliance.Change);

        Tick tcs = (await KiteVenue.CollectAsync(full, t => t.Count(x => x.Depth.BidCount == 5) >= 2))[^1];
        Assert.Equal(FeedMode.Full, tcs.Mode);
        Assert.True(tcs.Bid < tcs.Ask);
        Assert.True(tcs.Close.HasValue);
    }

    [Fact]
    public async Task Full_mode_nse_instruments_get_a_twenty_level_book_from_the_depth_feed()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(["NSE:TCS"], new SubscriberOptions { Mode = FeedMode.Full, Books = true });
        InstrumentId tcs = venue.Host.Resolve("NSE:TCS").Id;
        await SimulatedHost.WaitUntil(() => venue.Host.Hub.GetBookAsync(tcs, 20).Result is { State: BookState.Synced, Bids.Count: 20, Asks.Count: 20 });
        BookView book = (await venue.Host.Hub.GetBookAsync(tcs, 20))!;
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        Assert.True(book.Bids.Zip(book.Bids.Skip(1)).All(p => p.First.Price > p.Second.Price));
        Assert.True(book.Asks.Zip(book.Asks.Skip(1)).All(p => p.First.Price < p.Second.Price));
        Assert.Equal(1, venue.Emulator.DepthConnections);
        Assert.Equal(FeedState.Connected, venue.Feed.DepthHealth.State);
    }

    [Fact]
    public async Task Unsubscribe_is_really_sent_with_the_code_of_the_mode_held()
    {
        // A long idle timeout: a reconnect on a loaded machine would drop the subscription without an unsubscribe.
        await using DhanVenue venue = await DhanVenue.StartAsync(settings: new Dictionary<string, string?> { ["Dhan:Stream:IdleTimeout"] = "00:00:30" });
        var received = new ConcurrentQueue<string>();
        venue.Emulator.Received += received.Enqueue;
        await using (MarketSubscription sub = venue.Host.Subscribe(["NSE:SBIN"], new SubscriberOptions { Mode = FeedMode.Quote }))
        {
            await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
            Assert.Contains("NSE_EQ:3045", venue.Emulator.SubscribedKeys);
        }

        await SimulatedHost.WaitUntil(() => received.Any(r => JsonDocument.Parse(r).RootElement.GetProperty("RequestCode").GetInt32() == 18));
        string unsubscribe = received.Single(r => r.Contains("\"RequestCode\":18", StringComparison.Ordinal));
        Assert.Contains("\"SecurityId\":\"3045\"", unsubscribe);
        await SimulatedHost.WaitUntil(() => !venue.Emulator.SubscribedKeys.Contains("NSE_EQ:3045"));
    }

    [Theory]
    [InlineData(807)]
    [InlineData(808)]
    public async Task Credential_disconnect_codes_show_auth_failed_with_a_clear_message(int code)
    {
        await using DhanVenue venue = await DhanVenue.StartAsync(settings: new Dictionary<string, string?> { ["Dhan:Stream:AuthRetryDelay"] = "00:00:30" });
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Emulator.SetFaults($"disconnect={code}");
        await venue.WaitForStateAsync(FeedState.AuthFailed);
        Assert.Contains("credentials", venue.Feed.Health.LastError);
        Assert.Contains($"code {code}", venue.Feed.Health.LastError);
        Assert.DoesNotContain("emulator-token", venue.Feed.Health.LastError);
    }

    [Fact]
    public async Task Code_805_is_no_reconnect_storm_nothing_connects_until_the_backoff_has_passed()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync(settings: new Dictionary<string, string?> { ["Dhan:TooManyConnectionsBackoff"] = "00:00:04" });
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Emulator.SetFaults("disconnect=805");
        DateTime kicked = DateTime.UtcNow;
        await SimulatedHost.WaitUntil(() => venue.Emulator.Connections == 0);
        await Task.Delay(2500);
        Assert.Equal(0, venue.Emulator.Connections);
        Assert.Contains("code 805", venue.Feed.Health.LastError);
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.State == FeedState.Connected && venue.Emulator.Connections == 1, 15_000);
        Assert.True(DateTime.UtcNow - kicked >= TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task Rest_quotes_poll_with_prices_on_the_tick_size_and_too_many_requests_is_backed_off()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        Instrument reliance = venue.Host.Resolve("NSE:RELIANCE");
        Instrument nifty = venue.Host.Resolve("NSE:NIFTY 50");
        venue.Emulator.Faults.RateLimitNext = 2;
        IReadOnlyList<Tick> ticks = await venue.Feed.Rest.PollAsync([reliance.Id, nifty.Id], CancellationToken.None);
        Assert.Equal(2, venue.Feed.Rest.RateLimited);
        Assert.Equal(2, ticks.Count);
        Tick quote = ticks.Single(t => t.Instrument == reliance.Id);
        Assert.Equal(TickSource.Poll, quote.Source);
        Assert.True(quote.Ltp.Raw > 0 && quote.Ltp.Raw % reliance.TickSize.Raw == 0);
        Assert.True(quote.Bid < quote.Ask);
        Assert.True(ticks.Single(t => t.Instrument == nifty.Id).Ltp.HasValue);
    }

    [Fact]
    public async Task Rest_with_rejected_credentials_is_an_authentication_failure_naming_the_settings()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        venue.Configuration["Dhan:AccessToken"] = "stale-token";
        AuthenticationRejectedException e = await Assert.ThrowsAsync<AuthenticationRejectedException>(
            () => venue.Feed.Rest.PollAsync([venue.Host.Resolve("NSE:INFY").Id], CancellationToken.None));
        Assert.Contains("DH-901", e.Message);
        Assert.DoesNotContain("stale-token", e.Message);
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("1d")]
    public async Task Candle_history_comes_from_the_chart_endpoints_oldest_first(string label)
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        Instrument infy = venue.Host.Resolve("NSE:INFY");
        DateTime end = DateTime.UtcNow;
        IReadOnlyList<Candle> candles = await venue.Feed.GetHistoryAsync(infy, CandleInterval.Parse(label), end, 10, CancellationToken.None);
        Assert.NotEmpty(candles);
        Assert.True(candles.Count <= 10);
        Assert.True(candles.Zip(candles.Skip(1)).All(p => p.First.Start < p.Second.Start));
        Assert.All(candles, c => Assert.True(c.End <= end && c.Low <= c.High && c.Close.Raw % infy.TickSize.Raw == 0));
    }

    [Fact]
    public async Task A_sixth_connection_drops_the_oldest_with_805_as_dhan_does()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync();
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        Uri url = new($"{venue.Emulator.StreamUrl}?version=2&token=emulator-token&clientId=1000000001&authType=2");
        for (int i = 0; i < 6; i++)
        {
            var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(url, CancellationToken.None);
            sockets.Add(socket);
        }

        byte[] buffer = new byte[64];
        System.Net.WebSockets.WebSocketReceiveResult first = await sockets[0].ReceiveAsync(buffer, new CancellationTokenSource(5000).Token);
        Assert.Equal((DhanPacket.Disconnect, 805), (buffer[0], (int)BitConverter.ToInt16(buffer, 8)));
        Assert.Equal(10, first.Count);
        sockets.ForEach(s => s.Dispose());
    }
}
