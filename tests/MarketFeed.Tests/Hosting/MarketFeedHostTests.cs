using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hosting;

public class MarketFeedHostTests
{
    [Fact]
    public async Task A_strategy_reads_ticks_latest_quote_and_candles_in_a_few_lines()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { CandleIntervals = [CandleInterval.FiveMinutes] });
        await feed.EmitAsync(10);

        var received = new List<Tick>();
        await foreach (Tick tick in sub.Ticks())
        {
            received.Add(tick);
            if (received.Count == 10)
            {
                break;
            }
        }

        Assert.True(host.TryGetLatest("NSE:RELIANCE", out Tick latest));
        Assert.Equal(received[^1].Ltp, latest.Ltp);
        CandleSnapshot candles = await host.GetCandlesAsync("NSE:RELIANCE", "5m");
        Assert.Equal(10, candles.Current!.Value.Ticks);
    }

    [Fact]
    public async Task A_strategy_reads_a_book_and_streams_its_changes()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe(["BINANCE:BTCUSDT"], new SubscriberOptions { Books = true, Ticks = false });
        await feed.EmitAsync(5);
        await host.Hub.FlushAsync();

        BookView book = (await host.GetBookAsync("BINANCE:BTCUSDT", depth: 10))!;
        Assert.Equal((BookState.Synced, 10, 10), (book.State, book.Bids.Count, book.Asks.Count));
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (BookView view in sub.Books(timeout.Token))
        {
            // Conflated: the reader that was not reading gets the newest view, whole.
            Assert.Equal(book.Sequence, view.Sequence);
            Assert.Equal(20, view.Bids.Count);
            Assert.Equal(book.Bids, view.Bids.Take(10));
            break;
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.GetBookAsync("BINANCE:BTCUSDT", depth: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.GetBookAsync("BINANCE:BTCUSDT", depth: 201));
        await using MarketSubscription noBooks = host.Subscribe("BINANCE:ETHUSDT");
        Assert.Throws<InvalidOperationException>(() => noBooks.Books());
    }

    [Fact]
    public async Task A_throwing_callback_is_counted_and_neither_the_subscription_nor_the_hub_stops()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        int calls = 0;
        await using MarketSubscription failing = host.Subscribe("NSE:INFY").OnTick(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("strategy bug");
        });
        int healthy = 0;
        await using MarketSubscription other = host.Subscribe("NSE:INFY").OnTick(_ => Interlocked.Increment(ref healthy));

        await feed.EmitAsync(20);
        await SimulatedHost.WaitUntil(() => Volatile.Read(ref calls) == 20 && Volatile.Read(ref healthy) == 20);
        Assert.Equal(20, failing.Subscriber.CallbackErrors);
        Assert.Equal(20, host.Hub.Quality().CallbackErrors);
        Assert.Equal(20, host.Hub.Quality().Accepted);
    }

    [Fact]
    public async Task An_unknown_symbol_subscribes_nothing_and_names_close_matches()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        UnknownSymbolException error = Assert.Throws<UnknownSymbolException>(() => host.Subscribe("NSE:INFY", "NSE:RELIANCEX"));
        Assert.Contains("NSE:RELIANCE", error.Message);
        Assert.Empty(host.Subscriptions.Desired());
    }

    [Fact]
    public async Task Status_shows_feed_and_instrument_states_through_initializing_live_stale_and_error()
    {
        (MarketFeedHost host, SimulatorFeed feed, var clock) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe("NSE:INFY");
        Assert.Equal(InstrumentHealthState.Initializing, host.Status().Instruments.Single().State);

        await feed.EmitAsync(1);
        await host.Hub.FlushAsync();
        InstrumentStatus live = host.Status().Instruments.Single();
        Assert.Equal((InstrumentHealthState.Live, 1L, TickSource.Stream), (live.State, live.Updates, live.Source));

        clock.Advance(TimeSpan.FromSeconds(6));
        InstrumentStatus stale = host.Status().Instruments.Single();
        Assert.Equal(InstrumentHealthState.Stale, stale.State);
        Assert.Equal(6000, stale.AgeMs);

        feed.Health.SetState(FeedState.AuthFailed, "token expired");
        MarketStatus status = host.Status();
        Assert.Equal(InstrumentHealthState.Error, status.Instruments.Single().State);
        Assert.Equal("token expired", status.Feeds.Single().LastError);
    }

    [Fact]
    public async Task Instruments_are_closed_outside_their_session()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync(
            new SimulatorOptions { FollowSessionHours = true }, start: new DateTimeOffset(TestInstruments.Ist(18, 0), TimeSpan.Zero));
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe("NSE:INFY", "BINANCE:BTCUSDT");
        var states = host.Status().Instruments.ToDictionary(i => i.Symbol, i => i.State);
        Assert.Equal(InstrumentHealthState.Closed, states["NSE:INFY"]);
        Assert.Equal(InstrumentHealthState.Initializing, states["BINANCE:BTCUSDT"]);
    }

    [Fact]
    public async Task Disposing_a_subscription_releases_its_leases_so_the_feed_unsubscribes()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        MarketSubscription sub = host.Subscribe("NSE:INFY", "NSE:TCS");
        await using MarketSubscription keep = host.Subscribe("NSE:TCS");
        await sub.DisposeAsync();
        Assert.Equal([host.Resolve("NSE:TCS").Id], feed.Upstream);
    }
}
