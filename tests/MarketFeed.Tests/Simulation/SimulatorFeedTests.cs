using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Simulation;

public class SimulatorFeedTests
{
    [Fact]
    public async Task The_default_universe_has_indices_equities_futures_a_nifty_and_a_bank_chain_and_crypto()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        IReadOnlyList<Instrument> all = host.Instruments.All();
        Assert.Equal(2, all.Count(i => i.Kind == InstrumentKind.Index));
        Assert.Equal(10, all.Count(i => i.Kind == InstrumentKind.Equity));
        Assert.Equal(3, all.Count(i => i.Kind == InstrumentKind.Future));
        List<Instrument> nifty = [.. all.Where(i => i.IsOption && i.Underlying == "NSE:NIFTY 50")];
        List<Instrument> bank = [.. all.Where(i => i.IsOption && i.Underlying == "NSE:NIFTY BANK")];
        Assert.Equal(2, nifty.Select(i => i.Expiry).Distinct().Count());
        Assert.Equal(84, nifty.Count);
        Assert.Equal(21, nifty.Where(i => i.Kind == InstrumentKind.Call).Select(i => i.Strike).Distinct().Count());
        Assert.Single(bank.Select(i => i.Expiry).Distinct());
        Assert.Equal(42, bank.Count);
        Assert.All(bank, i => Assert.Equal((35, 0m), (i.LotSize, i.Strike.ToDecimal() % 100)));
        Assert.Contains(all, i => i.Symbol == "BINANCE:BTCUSDT");
        Assert.Contains(all, i => i.Symbol == "BINANCE:ETHUSDT");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_ticks()
    {
        List<Tick> first = await RunAsync(seed: 5);
        List<Tick> second = await RunAsync(seed: 5);
        List<Tick> other = await RunAsync(seed: 6);
        Assert.Equal(first.Count, second.Count);
        Assert.True(first.Zip(second).All(p => p.First.SameMarketDataAs(in p.Second)));
        Assert.False(first.Zip(other).All(p => p.First.SameMarketDataAs(in p.Second)));

        static async Task<List<Tick>> RunAsync(int seed)
        {
            (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync(new SimulatorOptions { Seed = seed });
            await using MarketFeedHost owned = host;
            var ticks = new List<Tick>();
            feed.Sent += ticks.Add;
            await using MarketSubscription sub = host.Subscribe(["NSE:RELIANCE", "NFO:NIFTY26NOV24000CE", "BINANCE:BTCUSDT"], new SubscriberOptions { Mode = FeedMode.Full });
            await feed.EmitAsync(300);
            return ticks;
        }
    }

    [Fact]
    public async Task Prices_sit_on_the_tick_grid_with_a_sane_book_and_cumulative_volume()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        var ticks = new List<Tick>();
        feed.Sent += ticks.Add;
        await using MarketSubscription sub = host.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { Mode = FeedMode.Full });
        await feed.EmitAsync(200);

        Price tickSize = host.Resolve("NSE:RELIANCE").TickSize;
        Assert.All(ticks, t =>
        {
            Assert.Equal(0, t.Ltp.Raw % tickSize.Raw);
            Assert.True(t.Bid < t.Ask);
            Assert.True(t.Bid <= t.Ltp && t.Ltp <= t.Ask);
            Assert.Equal(5, t.Depth.BidCount);
            Assert.True(t.Depth.Bids[0].Price > t.Depth.Bids[4].Price);
            Assert.True(t.Low <= t.Ltp && t.Ltp <= t.High);
            Assert.True(t.Close.HasValue);
            Assert.Equal(TickFlags.CumulativeVolume, t.Flags);
        });
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second.Volume > p.First.Volume));
        await host.Hub.FlushAsync();
        Assert.Equal((0L, 0L), (host.Hub.Quality().Rejected, host.Hub.Quality().RejectedInconsistent));
    }

    [Fact]
    public async Task Calls_and_puts_of_a_strike_satisfy_put_call_parity_with_the_index()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        var last = new Dictionary<string, Tick>();
        feed.Sent += t => last[host.Instruments.Get(t.Instrument).Symbol] = t;
        await using MarketSubscription sub = host.Subscribe(["NFO:NIFTY26NOV24000CE", "NFO:NIFTY26NOV24000PE", "NSE:NIFTY 50"], new SubscriberOptions { Mode = FeedMode.Ltp });
        await feed.EmitAsync(3);

        double call = last["NFO:NIFTY26NOV24000CE"].Ltp.ToDouble();
        double put = last["NFO:NIFTY26NOV24000PE"].Ltp.ToDouble();
        double spot = last["NSE:NIFTY 50"].Ltp.ToDouble();
        // C − P = S − K·e^(−rT); four days to expiry, r = 6.5 %: K·(1 − e^(−rT)) ≈ 17. Allow for the index moving between ticks.
        Assert.InRange(call - put - (spot - 24_000), 0, 60);
    }

    [Fact]
    public async Task Modes_decide_what_a_tick_carries_and_indices_never_have_a_book()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        var sent = new List<Tick>();
        feed.Sent += sent.Add;
        await using MarketSubscription ltp = host.Subscribe(["NSE:INFY"], new SubscriberOptions { Mode = FeedMode.Ltp });
        await using MarketSubscription quote = host.Subscribe(["NSE:TCS", "NSE:NIFTY 50"], new SubscriberOptions { Mode = FeedMode.Quote });
        await feed.EmitAsync(3);

        Tick infy = sent.Single(t => t.Instrument == host.Resolve("NSE:INFY").Id);
        Assert.False(infy.Bid.HasValue);
        Assert.False(infy.Volume.HasValue);
        Tick tcs = sent.Single(t => t.Instrument == host.Resolve("NSE:TCS").Id);
        Assert.True(tcs.Bid.HasValue && tcs.Volume.HasValue);
        Assert.True(tcs.Depth.IsEmpty);
        Tick nifty = sent.Single(t => t.Instrument == host.Resolve("NSE:NIFTY 50").Id);
        Assert.False(nifty.Bid.HasValue || nifty.Volume.HasValue || nifty.Ltq.HasValue);
        Assert.True(nifty.Close.HasValue);
    }

    [Fact]
    public async Task Crypto_is_sent_as_numbered_trades_and_candle_volume_sums_them()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        var sent = new List<Tick>();
        feed.Sent += sent.Add;
        await using MarketSubscription sub = host.Subscribe(["BINANCE:BTCUSDT"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
        await feed.EmitAsync(50);
        await host.Hub.FlushAsync();

        Assert.All(sent, t => Assert.Equal(TickFlags.Trade, t.Flags));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), sent.Select(t => t.VenueSequence));
        CandleSnapshot candles = await host.GetCandlesAsync("BINANCE:BTCUSDT", "1m");
        Assert.Equal(sent.Sum(t => t.Ltq.Raw), candles.Current!.Value.Volume.Raw);
    }

    [Fact]
    public async Task A_crypto_book_starts_with_a_snapshot_then_one_contiguous_diff_per_tick_and_the_hub_keeps_it_synced()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        List<BookUpdate> books = RecordBooks(feed);
        var ticks = new List<Tick>();
        feed.Sent += ticks.Add;
        await using MarketSubscription sub = host.Subscribe("BINANCE:BTCUSDT", "NSE:INFY");
        await feed.EmitAsync(200);
        await host.Hub.FlushAsync();

        InstrumentId btc = host.Resolve("BINANCE:BTCUSDT").Id;
        Assert.Equal(ticks.Count(t => t.Instrument == btc), books.Count);
        Assert.All(books, b => Assert.Equal(btc, b.Instrument));
        Assert.True(books[0].IsSnapshot);
        Assert.All(books.Skip(1), b => Assert.False(b.IsSnapshot));
        Assert.True(books.Zip(books.Skip(1)).All(p => p.Second.FirstUpdateId == p.First.LastUpdateId + 1));

        BookView view = (await host.GetBookAsync("BINANCE:BTCUSDT"))!;
        Assert.Equal(BookState.Synced, view.State);
        Assert.Equal(books.Count, view.Sequence);
        Assert.Equal(books[^1].LastUpdateId, view.LastUpdateId);
        Assert.Equal((0L, 0L), (view.Gaps, view.Resyncs));
        Tick last = ticks.Last(t => t.Instrument == btc);
        Assert.Equal((last.Bid, last.Ask), (view.Bids[0].Price, view.Asks[0].Price));
        Assert.True(host.TryGetLatest("BINANCE:BTCUSDT", out Tick quote));
        Assert.Equal((quote.Bid, quote.BidQty, quote.Ask, quote.AskQty), (view.Bids[0].Price, view.Bids[0].Quantity, view.Asks[0].Price, view.Asks[0].Quantity));
        Assert.Null(await host.GetBookAsync("NSE:INFY"));
    }

    [Fact]
    public async Task A_lost_diff_is_a_gap_and_the_snapshot_the_hub_asks_for_resyncs_the_book()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        List<BookUpdate> books = RecordBooks(feed);
        await using MarketSubscription sub = host.Subscribe("BINANCE:ETHUSDT");
        await feed.EmitAsync(10);
        feed.LoseNextBookDiff(host.Resolve("BINANCE:ETHUSDT").Id);
        await feed.EmitAsync(2);
        await host.Hub.FlushAsync();
        Assert.Equal(BookState.Resyncing, (await host.GetBookAsync("BINANCE:ETHUSDT"))!.State);

        // The hub asked for a snapshot; the simulator sends it with the instrument's next step.
        await feed.EmitAsync(5);
        await host.Hub.FlushAsync();
        Assert.Equal(2, books.Count(b => b.IsSnapshot));
        BookView view = (await host.GetBookAsync("BINANCE:ETHUSDT"))!;
        Assert.Equal((BookState.Synced, 1L, 1L, 0L), (view.State, view.Gaps, view.Resyncs, view.ChecksumFailures));
        var quality = host.Hub.Quality();
        Assert.Equal((1L, 1L, 1L, 1L), (quality.Books, quality.BooksSynced, quality.BookGaps, quality.BookResyncs));
    }

    [Fact]
    public async Task A_book_wanted_again_after_an_unsubscribe_or_a_reconnect_starts_from_a_new_snapshot()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        List<BookUpdate> books = RecordBooks(feed);
        MarketSubscription first = host.Subscribe("BINANCE:BTCUSDT");
        await feed.EmitAsync(3);
        await host.Hub.FlushAsync();
        Assert.NotNull(await host.GetBookAsync("BINANCE:BTCUSDT"));
        await first.DisposeAsync();
        Assert.Null(await host.GetBookAsync("BINANCE:BTCUSDT"));

        await using MarketSubscription second = host.Subscribe("BINANCE:BTCUSDT");
        await feed.EmitAsync(3);
        feed.Disconnect();
        feed.Connect();
        await feed.EmitAsync(3);
        await host.Hub.FlushAsync();

        Assert.Equal([true, false, false, true, false, false, true, false, false], books.Select(b => b.IsSnapshot));
        BookView view = (await host.GetBookAsync("BINANCE:BTCUSDT"))!;
        Assert.Equal((BookState.Synced, 0L, 2L), (view.State, view.Gaps, view.Resyncs));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_book_messages()
    {
        Assert.Equal(await RunAsync(seed: 8), await RunAsync(seed: 8));
        Assert.NotEqual(await RunAsync(seed: 8), await RunAsync(seed: 9));

        static async Task<string> RunAsync(int seed)
        {
            (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync(new SimulatorOptions { Seed = seed });
            await using MarketFeedHost owned = host;
            List<BookUpdate> books = RecordBooks(feed);
            await using MarketSubscription sub = host.Subscribe("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "NSE:TCS");
            await feed.EmitAsync(90);
            return string.Join('\n', books.Select(b =>
                $"{b.Instrument} {b.IsSnapshot} {b.FirstUpdateId}-{b.LastUpdateId} {string.Join(' ', b.Bids.ToArray())} | {string.Join(' ', b.Asks.ToArray())}"));
        }
    }

    [Fact]
    public async Task With_books_off_the_crypto_ticks_are_whole_quotes_and_no_book_is_kept()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync(new SimulatorOptions { Books = false });
        await using MarketFeedHost owned = host;
        List<BookUpdate> books = RecordBooks(feed);
        var ticks = new List<Tick>();
        feed.Sent += ticks.Add;
        await using MarketSubscription sub = host.Subscribe("BINANCE:BTCUSDT");
        await feed.EmitAsync(20);
        await host.Hub.FlushAsync();

        Assert.Empty(books);
        Assert.All(ticks, t => Assert.Equal(TickFields.All, t.Updates));
        Assert.Null(await host.GetBookAsync("BINANCE:BTCUSDT"));
    }

    /// <summary>Copies of the book messages the simulator sends (they are pooled and reused once the hub applied them).</summary>
    private static List<BookUpdate> RecordBooks(SimulatorFeed feed)
    {
        var books = new List<BookUpdate>();
        feed.BookSent += update =>
        {
            var copy = new BookUpdate();
            update.CopyTo(copy);
            books.Add(copy);
        };
        return books;
    }

    [Fact]
    public async Task After_a_disconnect_it_resubscribes_the_desired_set_with_modes()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe(["NSE:INFY", "NSE:TCS"], new SubscriberOptions { Mode = FeedMode.Full });
        Assert.Equal(2, feed.Upstream.Count);

        feed.Disconnect("test");
        Assert.Empty(feed.Upstream);
        Assert.Equal(FeedState.Reconnecting, feed.Health.State);
        Assert.Equal(0, await feed.EmitAsync(10));

        feed.Connect();
        Assert.Equal(2, feed.Upstream.Count);
        Assert.Equal(1, feed.Health.Reconnects);
        Assert.Equal(FeedState.Connected, feed.Health.State);
    }

    [Fact]
    public async Task Following_session_hours_it_is_silent_when_the_market_is_closed()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync(
            new SimulatorOptions { FollowSessionHours = true },
            start: new DateTimeOffset(TestInstruments.Ist(17, 0), TimeSpan.Zero));
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe("NSE:INFY", "BINANCE:BTCUSDT");
        var sent = new List<Tick>();
        feed.Sent += sent.Add;
        await feed.EmitAsync(20);
        Assert.All(sent, t => Assert.Equal(host.Resolve("BINANCE:BTCUSDT").Id, t.Instrument));
        Assert.NotEmpty(sent);
    }

    [Fact]
    public async Task The_emission_loop_follows_the_configured_rate_on_the_clock()
    {
        var clock = new MarketFeed.Time.ManualTimeProvider(new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        var feed = new SimulatorFeed(new SimulatorOptions { UniverseDate = SimulatedHost.UniverseDate, TicksPerSecond = 1_000 }, clock);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 }, clock);
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        await using MarketSubscription sub = host.Subscribe("NSE:INFY");
        for (int i = 0; i < 100; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            long expected = (i + 1) * 10;
            await SimulatedHost.WaitUntil(() => feed.Health.Messages >= expected - 10);
        }

        Assert.InRange(feed.Health.Messages, 980, 1_000);
    }
}

public class SimulatorHistoryTests
{
    [Theory]
    [InlineData("1s")]
    [InlineData("15s")]
    [InlineData("59s")]
    public async Task Bars_shorter_than_a_minute_have_no_history_rather_than_copies_of_their_minute(string interval)
    {
        (MarketFeed.Hosting.MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeed.Hosting.MarketFeedHost owned = host;
        Instrument infy = host.Resolve("NSE:INFY");
        DateTime now = host.Time.GetUtcNow().UtcDateTime;
        Assert.Empty(await feed.GetHistoryAsync(infy, CandleInterval.Parse(interval), now, 100, CancellationToken.None));
        Assert.NotEmpty(await feed.GetHistoryAsync(infy, CandleInterval.OneMinute, now, 100, CancellationToken.None));
    }

    [Fact]
    public async Task New_series_are_seeded_with_history_that_ends_where_live_data_begins()
    {
        (MarketFeed.Hosting.MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeed.Hosting.MarketFeedHost owned = host;
        await using MarketFeed.Hosting.MarketSubscription sub = host.Subscribe("NSE:RELIANCE");
        await feed.EmitAsync(1);

        // Two trading sessions of the instrument's calendar (the simulator trades around the clock: more than 200 bars).
        int expected = CandleHistoryWindow.Of(host.Resolve("NSE:RELIANCE").Calendar, CandleInterval.Parse("5m"), host.Time.GetUtcNow().UtcDateTime, 2, 0, 500).Bars;
        CandleSnapshot snapshot = await EventuallyAsync(async () =>
        {
            CandleSnapshot s = await host.GetCandlesAsync("NSE:RELIANCE", "5m", 500);
            return s.Closed.Count >= expected ? s : null;
        });
        Assert.True(expected > 200, $"{expected} bars");
        Assert.Equal(expected, snapshot.Closed.Count);
        Assert.All(snapshot.Closed, c => Assert.Equal(CandleFlags.Closed | CandleFlags.History, c.Flags));
        Assert.True(snapshot.Closed.Zip(snapshot.Closed.Skip(1)).All(p => p.First.End <= p.Second.Start && p.First.Close == p.Second.Open));
        Assert.Equal(snapshot.Current!.Value.Start, snapshot.Closed[^1].End);
        Assert.All(snapshot.Closed, c => Assert.True(c.Low <= Price.Min(c.Open, c.Close) && c.High >= Price.Max(c.Open, c.Close)));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt)
        where T : class
    {
        for (int i = 0; i < 500; i++)
        {
            if (await attempt() is { } result)
            {
                return result;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException();
    }
}
