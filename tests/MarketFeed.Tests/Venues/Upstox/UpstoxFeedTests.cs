using System.Collections.Concurrent;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Upstox;

namespace MarketFeed.Tests.Venues.Upstox;

/// <summary>The Upstox adapter against the Upstox emulator over real loopback sockets.</summary>
public class UpstoxFeedTests
{
    [Fact]
    public async Task Every_connection_is_authorized_afresh_and_the_used_url_is_never_reused()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
        long authorized = venue.Emulator.Authorizations;

        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects >= 1 && venue.Feed.Health.State == FeedState.Connected);
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
        Assert.True(venue.Emulator.Authorizations > authorized);
        Assert.Equal(0, venue.Emulator.AuthRejections);
    }

    [Fact]
    public async Task A_rejected_token_at_authorize_is_auth_failed_with_a_clear_message_and_a_new_token_recovers()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);

        venue.Configuration["Upstox:AccessToken"] = "expired-token";
        venue.Emulator.DropConnections();
        await venue.WaitForStateAsync(FeedState.AuthFailed);
        string error = venue.Feed.Health.LastError!;
        Assert.Contains("HTTP 401", error);
        Assert.Contains("Upstox:AccessToken", error);
        Assert.DoesNotContain("expired-token", error);

        venue.Configuration["Upstox:AccessToken"] = "emulator-token";
        await venue.WaitForStateAsync(FeedState.Connected);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 1);
    }

    [Fact]
    public async Task Upstox_instrument_keys_resolve_to_the_same_instrument_as_canonical_symbols()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        Instrument reliance = venue.Host.Resolve("NSE:RELIANCE");
        Assert.Same(reliance, venue.Host.Resolve("NSE_EQ|INE002A01018"));
        Assert.Equal("NSE_EQ|INE002A01018", reliance.NativeKey);
        Assert.Same(venue.Host.Resolve("NSE:NIFTY 50"), venue.Host.Resolve("NSE_INDEX|Nifty 50"));
        Instrument call = venue.Host.Instruments.Search("NIFTY 24000 CE", 1)[0];
        Assert.Same(call, venue.Host.Resolve(call.NativeKey));
        Assert.StartsWith("NSE_FO|", call.NativeKey);
        Assert.Equal("NSE:NIFTY 50", call.Underlying);
        Assert.Throws<UnknownSymbolException>(() => venue.Host.Resolve("NSE_EQ|INE000000000"));
    }

    [Fact]
    public async Task Option_greeks_and_open_interest_reach_the_tick_and_its_json_in_quote_and_full_mode()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        Instrument call = venue.Host.Instruments.Search("NIFTY 24000 CE", 1)[0];
        Instrument put = venue.Host.Instruments.Search("NIFTY 24000 PE", 1)[0];
        await using MarketSubscription nifty = venue.Host.Subscribe("NSE:NIFTY 50");
        await using MarketSubscription quote = venue.Host.Subscribe([call.Symbol], new SubscriberOptions { Mode = FeedMode.Quote });
        await using MarketSubscription full = venue.Host.Subscribe([put.Symbol], new SubscriberOptions { Mode = FeedMode.Full });

        Tick callTick = (await KiteVenue.CollectAsync(quote, t => t.Any(x => x.Greeks is not null)))[^1];
        OptionGreeks greeks = callTick.Greeks!.Value;
        Assert.InRange(greeks.Delta, 0, 1);
        Assert.True(greeks.Gamma > 0 && greeks.Vega > 0 && greeks.Theta < 0);
        Assert.Equal(15.0, greeks.Iv);
        Assert.True(callTick.Oi.HasValue && callTick.Bid.HasValue);
        Assert.Equal(FeedMode.Quote, callTick.Mode);

        Tick putTick = (await KiteVenue.CollectAsync(full, t => t.Any(x => x.Greeks is not null)))[^1];
        Assert.InRange(putTick.Greeks!.Value.Delta, -1, 0);
        Assert.Equal(5, putTick.Depth.BidCount);

        string json = TickJson.ToJson(in putTick, put);
        Assert.Contains("\"delta\":", json);
        Assert.Contains("\"iv\":15", json);
        Assert.Contains("\"oi\":", json);
    }

    [Fact]
    public async Task A_segment_market_info_reports_closed_shows_its_instruments_closed_not_stale()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(settings: new Dictionary<string, string?> { ["Upstox:Stream:IdleTimeout"] = "00:01:00" });
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:NIFTY 50");
        await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() == 2);
        Assert.Equal(UpstoxSegmentStatus.NormalOpen, venue.Feed.Sessions.Current["NSE_EQ"]);
        Assert.All(venue.Host.Status().Instruments, i => Assert.Equal(InstrumentHealthState.Live, i.State));

        // NSE_EQ closes: no more INFY updates, and INFY must read closed however long it stays quiet.
        venue.Emulator.SetSegmentStatus("NSE_EQ", UpstoxSegmentStatus.NormalClose);
        await SimulatedHost.WaitUntil(() => venue.Feed.Sessions.Current["NSE_EQ"] == UpstoxSegmentStatus.NormalClose);
        await Task.Delay(venue.Host.Hub.Options.StalenessWindow + TimeSpan.FromSeconds(1));
        MarketStatus status = venue.Host.Status();
        Assert.Equal(InstrumentHealthState.Closed, status.Instruments.Single(i => i.Symbol == "NSE:INFY").State);
        Assert.Equal(InstrumentHealthState.Live, status.Instruments.Single(i => i.Symbol == "NSE:NIFTY 50").State);
    }

    [Fact]
    public async Task Full_d30_puts_thirty_levels_into_the_order_book_and_five_on_the_tick()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(settings: new Dictionary<string, string?> { ["Upstox:Depth30"] = "true" });
        await using MarketSubscription sub = venue.Host.Subscribe(["NSE:TCS"], new SubscriberOptions { Mode = FeedMode.Full });
        Tick tick = (await KiteVenue.CollectAsync(sub, t => t.Count >= 2))[^1];
        Assert.Equal(5, tick.Depth.BidCount);
        InstrumentId tcs = venue.Host.Resolve("NSE:TCS").Id;
        await SimulatedHost.WaitUntil(() => venue.Host.Hub.GetBookAsync(tcs, 30).Result is { State: MarketFeed.Books.BookState.Synced } book && book.Bids.Count == 30 && book.Asks.Count == 30);
        MarketFeed.Books.BookView view = (await venue.Host.Hub.GetBookAsync(tcs, 30))!;
        Assert.True(view.Bids[0].Price < view.Asks[0].Price && view.Bids[29].Price < view.Bids[0].Price);
    }

    [Fact]
    public async Task While_the_stream_is_refused_instruments_are_polled_over_the_ltp_endpoint()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:NIFTY 50");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Emulator.Faults.RefuseStream = true;
        venue.Emulator.DropConnections();
        await venue.WaitForStateAsync(FeedState.Polling);
        List<Tick> polled = await KiteVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Poll) >= 2);
        Assert.Contains(polled, t => t.Source == TickSource.Poll && t.Instrument == venue.Host.Resolve("NSE:NIFTY 50").Id && t.Ltp.HasValue);

        venue.Emulator.Faults.RefuseStream = false;
        await venue.WaitForStateAsync(FeedState.Connected);
        await KiteVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Stream) >= 2);
    }

    [Fact]
    public async Task Rest_calls_wait_out_a_429_and_succeed()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        venue.Emulator.Faults.RateLimitNext = 2;
        IReadOnlyList<Tick> quotes = await venue.Feed.Rest.PollAsync([venue.Host.Resolve("NSE:INFY").Id], CancellationToken.None);
        Assert.Equal(venue.Host.Resolve("NSE:INFY").Id, Assert.Single(quotes).Instrument);
        Assert.Equal(2, venue.Feed.Rest.RateLimited);
    }

    [Theory]
    [InlineData("3m", 250)]
    [InlineData("1h", 40)]
    [InlineData("1d", 20)]
    public async Task History_joins_historical_and_intraday_candles_oldest_first_without_a_gap_or_a_repeat(string interval, int count)
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        Instrument infy = venue.Host.Resolve("NSE:INFY");
        CandleInterval candleInterval = CandleInterval.Parse(interval);
        DateTime end = DateTime.UtcNow;
        IReadOnlyList<Candle> history = await venue.Feed.GetHistoryAsync(infy, candleInterval, end, count, CancellationToken.None);
        Assert.Equal(count, history.Count);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.Second.Start > p.First.Start), "bars are oldest first and distinct");
        Assert.All(history, c => Assert.True(c.End <= end && c.Flags.HasFlag(CandleFlags.History)));
        if (candleInterval.Length < TimeSpan.FromDays(1))
        {
            // Intraday bars are the session's, as Upstox's are: within a session they follow one another without a gap.
            Assert.All(history, c => Assert.NotNull(infy.Calendar.SessionAt(c.Start)));
            Assert.True(history.Zip(history.Skip(1)).All(p => p.Second.Start - p.First.Start == candleInterval.Length
                || infy.Calendar.SessionAt(p.First.Start)!.Value.OpenUtc != infy.Calendar.SessionAt(p.Second.Start)!.Value.OpenUtc), "no gap within a session");
        }
    }

    [Fact]
    public async Task Seconds_candles_have_no_upstox_history_and_ask_for_none()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync();
        Assert.Empty(await venue.Feed.GetHistoryAsync(venue.Host.Resolve("NSE:INFY"), CandleInterval.Parse("30s"), DateTime.UtcNow, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Malformed_frames_are_counted_and_skipped_and_the_connection_stays_up()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(faults: "malformed");
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:TCS");
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Count >= 20);
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.MalformedFrames >= 3);
        Assert.True(venue.Feed.Health.Reconnects == 0, venue.Feed.Health.LastError);
        Assert.All(ticks, t => Assert.True(t.Ltp.Raw > 0));
    }

    [Fact]
    public async Task Across_drops_every_tick_carries_values_the_emulator_sent_for_that_instrument()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(ticksPerSecond: 50);
        var sent = new ConcurrentDictionary<(string, long), byte>();
        venue.Emulator.Sent += (key, tick, _, _) => sent[(key, tick.Ltp.Raw)] = 0;
        await using MarketSubscription sub = venue.Host.Subscribe(["NSE:INFY", "NSE:RELIANCE"], new SubscriberOptions { Mode = FeedMode.Full });
        var received = new List<Tick>();
        for (int round = 0; round < 3; round++)
        {
            received.AddRange(await KiteVenue.CollectAsync(sub, t => t.Count >= 10));
            venue.Emulator.DropConnections();
            await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects > round);
        }

        Assert.All(received, t => Assert.True(sent.ContainsKey((venue.Host.Instruments.Get(t.Instrument).NativeKey, t.Ltp.Raw)), $"{t.Ltp} was never sent"));
    }
}
