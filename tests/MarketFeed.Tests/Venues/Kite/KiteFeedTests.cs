using System.Collections.Concurrent;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Venues.Kite;

/// <summary>The Kite adapter against the Kite emulator over real loopback sockets.</summary>
public class KiteFeedTests
{
    [Fact]
    public async Task Each_mode_delivers_exactly_the_fields_kite_sends_with_the_emulators_values()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        // A price recurs (prints bounce between bid and ask); price and day volume (which every trade raises) name one tick.
        var sent = new ConcurrentDictionary<(uint, long, long), Tick>();
        venue.Emulator.Sent += (token, tick, mode) => sent[(token, tick.Ltp.Raw, tick.Volume.Raw)] = tick;
        await using MarketSubscription ltp = venue.Host.Subscribe(["NSE:INFY"], new SubscriberOptions { Mode = FeedMode.Ltp });
        await using MarketSubscription quote = venue.Host.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { Mode = FeedMode.Quote });
        await using MarketSubscription full = venue.Host.Subscribe(["NSE:TCS", "NSE:NIFTY 50"], new SubscriberOptions { Mode = FeedMode.Full });

        Tick infy = (await KiteVenue.CollectAsync(ltp, t => t.Count >= 3))[^1];
        Assert.Equal((FeedMode.Ltp, TickSource.Stream), (infy.Mode, infy.Source));
        Assert.False(infy.Volume.HasValue || infy.Bid.HasValue || infy.HasExchangeTime);

        Tick reliance = (await KiteVenue.CollectAsync(quote, t => t.Count >= 3))[^1];
        Tick relianceSent = sent[(738561u, reliance.Ltp.Raw, reliance.Volume.Raw)];
        Assert.Equal((relianceSent.Volume, relianceSent.Open, relianceSent.High, relianceSent.Low, relianceSent.Close, relianceSent.Atp),
            (reliance.Volume, reliance.Open, reliance.High, reliance.Low, reliance.Close, reliance.Atp));
        Assert.True(reliance.Depth.IsEmpty);

        List<Tick> fullTicks = await KiteVenue.CollectAsync(full, t => t.Count(x => x.Instrument == venue.Host.Resolve("NSE:TCS").Id) >= 2 && t.Count(x => x.Instrument == venue.Host.Resolve("NSE:NIFTY 50").Id) >= 2);
        Tick tcs = fullTicks.Last(t => t.Instrument == venue.Host.Resolve("NSE:TCS").Id);
        Assert.Equal(FeedMode.Full, tcs.Mode);
        Assert.Equal(5, tcs.Depth.BidCount);
        Assert.True(tcs.HasExchangeTime);
        Assert.True(tcs.Bid < tcs.Ask);
        Tick nifty = fullTicks.Last(t => t.Instrument == venue.Host.Resolve("NSE:NIFTY 50").Id);
        Assert.False(nifty.Volume.HasValue || nifty.Bid.HasValue);
        Assert.True(nifty.HasExchangeTime && nifty.Close.HasValue);
    }

    [Fact]
    public async Task After_a_dropped_connection_it_reconnects_and_resubscribes_with_the_same_modes()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(["NSE:INFY", "NSE:SBIN"], new SubscriberOptions { Mode = FeedMode.Full });
        await KiteVenue.CollectAsync(sub, t => t.Count >= 4);

        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects >= 1);
        List<Tick> after = await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() == 2 && t.Count >= 6);
        Assert.All(after.TakeLast(2), t => Assert.Equal(FeedMode.Full, t.Mode));
        Assert.Equal(FeedState.Connected, venue.Feed.Health.State);
    }

    [Fact]
    public async Task A_silent_socket_is_dropped_by_the_watchdog_and_reopened()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Emulator.Faults.Silent = true;
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.LastError?.Contains("silent", StringComparison.Ordinal) == true);
        venue.Emulator.Faults.Silent = false;
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects >= 1 && venue.Feed.Health.State == FeedState.Connected);
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
    }

    [Fact]
    public async Task Rejected_credentials_are_auth_failed_and_fixed_credentials_are_picked_up_on_the_next_attempt()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);

        // The token expires mid-session: the next connect is refused with 403.
        venue.Configuration["Kite:AccessToken"] = "expired-token";
        venue.Emulator.DropConnections();
        await venue.WaitForStateAsync(FeedState.AuthFailed);
        Assert.Contains("HTTP 403", venue.Feed.Health.LastError);
        Assert.DoesNotContain("expired-token", venue.Feed.Health.LastError);
        MarketFeed.Health.MarketStatus status;
        await using (MarketSubscription waiting = venue.Host.Subscribe("NSE:INFY"))
        {
            status = venue.Host.Status();
            Assert.Equal(MarketFeed.Health.InstrumentHealthState.Error, status.Instruments.Single().State);
        }

        venue.Configuration["Kite:AccessToken"] = "emulator-token";
        await venue.WaitForStateAsync(FeedState.Connected);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 1);
    }

    [Fact]
    public async Task Malformed_frames_are_counted_and_skipped_and_the_connection_stays_up()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "malformed");
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:TCS");
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Count >= 20);
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.MalformedFrames >= 3);
        Assert.True(venue.Feed.Health.Reconnects == 0, venue.Feed.Health.LastError);
        Assert.All(ticks, t => Assert.True(t.Ltp.Raw > 0));
    }

    [Fact]
    public async Task While_the_stream_is_down_instruments_are_polled_over_rest_and_the_stream_takes_over_again()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:RELIANCE");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Emulator.Faults.RefuseStream = true;
        venue.Emulator.DropConnections();
        await venue.WaitForStateAsync(FeedState.Polling);
        List<Tick> polled = await KiteVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Poll) >= 2);
        Assert.Contains(polled, t => t.Source == TickSource.Poll && t.Instrument == venue.Host.Resolve("NSE:RELIANCE").Id);
        Assert.Contains(venue.Host.Status().Instruments, i => i.Source == TickSource.Poll);

        venue.Emulator.Faults.RefuseStream = false;
        await venue.WaitForStateAsync(FeedState.Connected);
        await KiteVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Stream) >= 2);
        Assert.False(venue.Feed.Session!.IsPolling);
    }

    [Fact]
    public async Task Rest_calls_wait_out_a_429_and_succeed()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        venue.Emulator.Faults.RateLimitNext = 2;
        IReadOnlyList<Tick> quotes = await venue.Feed.Rest.PollAsync([venue.Host.Resolve("NSE:INFY").Id], CancellationToken.None);
        Assert.Equal(venue.Host.Resolve("NSE:INFY").Id, Assert.Single(quotes).Instrument);
        Assert.Equal(2, venue.Feed.Rest.RateLimited);
    }

    [Fact]
    public async Task New_series_are_seeded_from_kite_historical_candles()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        Instrument infy = venue.Host.Resolve("NSE:INFY");
        var history = await venue.Feed.GetHistoryAsync(infy, MarketFeed.Candles.CandleInterval.Parse("5m"), DateTime.UtcNow, 50, CancellationToken.None);
        Assert.Equal(50, history.Count);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Start < p.Second.Start));
    }

    [Fact]
    public async Task A_symbol_missing_from_the_dump_is_an_error_and_never_a_subscription()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        Assert.Throws<UnknownSymbolException>(() => venue.Host.Subscribe("NSE:NOTLISTED"));
        Assert.Empty(venue.Host.Subscriptions.Desired());
    }

    [Fact]
    public async Task Across_drops_and_silences_every_tick_is_one_the_emulator_sent_for_that_instrument_and_none_repeats()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(ticksPerSecond: 50);
        var sent = new ConcurrentDictionary<uint, ConcurrentQueue<long>>();
        venue.Emulator.Sent += (token, tick, _) => sent.GetOrAdd(token, _ => new()).Enqueue(tick.Ltp.Raw);
        // A CE/PE pair of today's chain (the emulator builds it around the current date), and two equities.
        string call = venue.Host.Instruments.Search("NIFTY 24000 CE", 1)[0].Symbol;
        string put = venue.Host.Instruments.Search("NIFTY 24000 PE", 1)[0].Symbol;
        string[] symbols = [call, put, "NSE:INFY", "NSE:TCS"];
        await using MarketSubscription sub = venue.Host.Subscribe(symbols, new SubscriberOptions { Mode = FeedMode.Quote });
        var received = new List<Tick>();
        for (int round = 0; round < 3; round++)
        {
            received.AddRange(await KiteVenue.CollectAsync(sub, t => t.Count >= 20));
            venue.Emulator.DropConnections();
            await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects > round);
        }

        received.AddRange(await KiteVenue.CollectAsync(sub, t => t.Count >= 20));
        Dictionary<InstrumentId, uint> tokenOf = symbols.ToDictionary(s => venue.Host.Resolve(s).Id, s => uint.Parse(venue.Host.Resolve(s).NativeKey, System.Globalization.CultureInfo.InvariantCulture));
        foreach (Tick tick in received)
        {
            Assert.Contains(tick.Ltp.Raw, sent[tokenOf[tick.Instrument]]);
        }

        foreach (IGrouping<InstrumentId, Tick> byInstrument in received.GroupBy(t => t.Instrument))
        {
            long[] seqs = [.. byInstrument.Select(t => t.Seq)];
            Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First));
        }
    }
}
