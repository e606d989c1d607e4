using System.Text;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Coinbase;

namespace MarketFeed.Tests.Venues.Coinbase;

public class CoinbaseStreamProtocolTests
{
    private static readonly DateTime s_now = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private static async Task<(CoinbaseStreamProtocol Protocol, InstrumentRegistry Registry, FeedHealth Health, CoinbaseOptions Options)> CreateAsync()
    {
        string path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, CoinbaseProductsTests.Products);
        var options = new CoinbaseOptions { InstrumentsFile = path, StreamUrl = "ws://127.0.0.1:9" };
        var registry = new InstrumentRegistry();
        var master = new CoinbaseInstrumentMaster();
        using var rest = new CoinbaseRestClient(() => options, TimeProvider.System);
        await master.LoadAsync(options, rest, registry, "coinbase", new DateOnly(2026, 11, 22), CancellationToken.None);
        var health = new FeedHealth("coinbase", TimeProvider.System);
        return (new CoinbaseStreamProtocol(() => options, master, health), registry, health, options);
    }

    private static string[] Texts(IEnumerable<ControlMessage> messages) => [.. messages.Select(m => m.ToString())];

    private static FrameOutcome Feed(CoinbaseStreamProtocol protocol, StreamEvents events, string json, int connection = 0)
    {
        events.Clear();
        return protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(json), true, s_now, connection), events);
    }

    private static string Heartbeat(long sequence) =>
        $$"""{"channel":"heartbeats","timestamp":"2026-11-22T09:00:00Z","sequence_num":{{sequence}},"events":[{"current_time":"x","heartbeat_counter":{{sequence}}}]}""";

    private static string Level2(long sequence, string type, string product, string price = "100.01") =>
        $$"""{"channel":"l2_data","timestamp":"2026-11-22T09:00:00Z","sequence_num":{{sequence}},"events":[{"type":"{{type}}","product_id":"{{product}}","updates":[{"side":"bid","event_time":"2026-11-22T09:00:00Z","price_level":"{{price}}","new_quantity":"1"},{"side":"offer","event_time":"2026-11-22T09:00:00Z","price_level":"100.02","new_quantity":"1"}]}]}""";

    [Fact]
    public async Task Connections_open_the_stream_url_itself_and_a_bad_url_is_named()
    {
        (CoinbaseStreamProtocol protocol, _, _, CoinbaseOptions options) = await CreateAsync();
        Assert.Equal("ws://127.0.0.1:9/", (await protocol.PrepareAsync(0, CancellationToken.None)).Uri.AbsoluteUri);
        options.StreamUrl = "https://advanced-trade-ws.coinbase.com";
        Assert.Contains("Coinbase:StreamUrl", Assert.Throws<FeedConfigurationException>(() => protocol.BuildStreamUri()).Message);
    }

    [Fact]
    public async Task A_batch_is_heartbeats_then_one_subscribe_per_channel_with_the_products_of_each_mode()
    {
        (CoinbaseStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("COINBASE:BTC-USD").Id;
        InstrumentId eth = registry.Resolve("COINBASE:ETH-USD").Id;
        InstrumentId doge = registry.Resolve("COINBASE:DOGE-USD").Id;
        Assert.Equal(
        [
            """{"type":"subscribe","channel":"heartbeats"}""",
            """{"type":"subscribe","product_ids":["BTC-USD","ETH-USD","DOGE-USD"],"channel":"market_trades"}""",
            """{"type":"subscribe","product_ids":["BTC-USD","DOGE-USD"],"channel":"ticker"}""",
            """{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}""",
        ], Texts(protocol.Subscribe([new(btc, FeedMode.Full), new(eth, FeedMode.Ltp), new(doge, FeedMode.Quote)])));
        Assert.Equal((1, 2, 3), (protocol.StreamsPerInstrument(FeedMode.Ltp), protocol.StreamsPerInstrument(FeedMode.Quote), protocol.StreamsPerInstrument(FeedMode.Full)));
        Assert.Equal("""{"type":"subscribe","channel":"heartbeats"}""", protocol.IdleProbe()!.Value.ToString());
    }

    [Fact]
    public async Task A_lower_mode_unsubscribes_the_channels_it_no_longer_needs_and_unsubscribe_drops_the_rest()
    {
        (CoinbaseStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("COINBASE:BTC-USD").Id;
        protocol.Subscribe([new(btc, FeedMode.Full)]);
        Assert.Equal(
        [
            """{"type":"subscribe","channel":"heartbeats"}""",
            """{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"ticker"}""",
            """{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}""",
            """{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}""",
        ], Texts(protocol.Subscribe([new(btc, FeedMode.Ltp)])));
        Assert.Equal(["""{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"market_trades"}"""], Texts(protocol.Unsubscribe([btc])));
    }

    [Fact]
    public async Task A_sequence_gap_marks_every_book_on_that_connection_resyncing_at_once_and_resubscribes_their_level2()
    {
        (CoinbaseStreamProtocol protocol, InstrumentRegistry registry, FeedHealth health, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("COINBASE:BTC-USD").Id;
        InstrumentId eth = registry.Resolve("COINBASE:ETH-USD").Id;
        InstrumentId doge = registry.Resolve("COINBASE:DOGE-USD").Id;
        protocol.Subscribe([new(btc, FeedMode.Full), new(eth, FeedMode.Full), new(doge, FeedMode.Full)]);
        var events = new StreamEvents();
        var books = new Dictionary<InstrumentId, OrderBook>
        {
            [btc] = new(btc, new BookOptions(), UpdateIdContinuity.Instance),
            [eth] = new(eth, new BookOptions(), UpdateIdContinuity.Instance),
            [doge] = new(doge, new BookOptions(), UpdateIdContinuity.Instance),
        };
        void Apply()
        {
            foreach (BookUpdate update in events.Books)
            {
                books[update.Instrument].Apply(update);
            }
        }

        Assert.Equal(FrameOutcomeKind.Ok, Feed(protocol, events, Heartbeat(0)).Kind);
        Feed(protocol, events, Level2(1, "snapshot", "BTC-USD"));
        Apply();
        Feed(protocol, events, Level2(2, "snapshot", "ETH-USD"));
        Apply();
        Feed(protocol, events, Level2(0, "snapshot", "DOGE-USD", "0.35"), connection: 1);
        Apply();
        Feed(protocol, events, Level2(3, "update", "BTC-USD", "100"));
        Apply();
        Assert.All(books.Values, b => Assert.Equal(BookState.Synced, b.State));
        Assert.Equal(3, health.BookSnapshots);

        // Message 4 of connection 0 never came.
        Feed(protocol, events, Heartbeat(5));
        Apply();
        Assert.Equal(1, protocol.SequenceGaps);
        Assert.Equal((BookState.Resyncing, BookState.Resyncing, BookState.Synced), (books[btc].State, books[eth].State, books[doge].State));
        Assert.Equal(
        [
            """{"type":"unsubscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}""",
            """{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}""",
        ], Texts(events.Replies));

        // Diffs before the fresh snapshot wait; once it lands the book is synced again, and a second gap while the
        // snapshots are on their way resubscribes nothing more.
        Feed(protocol, events, Level2(6, "update", "BTC-USD", "99"));
        Apply();
        Assert.Equal(BookState.Resyncing, books[btc].State);
        Feed(protocol, events, Heartbeat(8));
        Assert.Empty(events.Replies);
        Apply();
        Feed(protocol, events, Level2(9, "snapshot", "BTC-USD", "98"));
        Apply();
        Feed(protocol, events, Level2(10, "update", "BTC-USD", "97"));
        Apply();
        Assert.Equal(BookState.Synced, books[btc].State);
        Assert.Equal((2, Price.FromDecimal(98m), Price.FromDecimal(97m)), (books[btc].Bids.Count, books[btc].Bids.PriceAt(0), books[btc].Bids.PriceAt(1)));
        Assert.Equal((1L, 1L), (books[btc].Gaps, books[btc].Resyncs));
    }

    [Fact]
    public async Task A_new_socket_marks_its_old_books_resyncing_without_resubscribing_them_itself()
    {
        (CoinbaseStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("COINBASE:BTC-USD").Id;
        protocol.Subscribe([new(btc, FeedMode.Full)]);
        var events = new StreamEvents();
        var book = new OrderBook(btc, new BookOptions(), UpdateIdContinuity.Instance);
        Feed(protocol, events, Level2(0, "snapshot", "BTC-USD"));
        events.Books.ForEach(b => book.Apply(b));
        Assert.Equal(BookState.Synced, book.State);

        await protocol.PrepareAsync(0, CancellationToken.None);
        Feed(protocol, events, Heartbeat(0));
        events.Books.ForEach(b => book.Apply(b));
        Assert.Equal(BookState.Resyncing, book.State);
        Assert.Empty(events.Replies);
        Assert.Equal(0, protocol.SequenceGaps);

        Feed(protocol, events, Level2(1, "snapshot", "BTC-USD"));
        events.Books.ForEach(b => book.Apply(b));
        Assert.Equal(BookState.Synced, book.State);
    }

    [Fact]
    public async Task An_error_naming_a_product_goes_to_that_instrument_alone_and_other_errors_to_the_feed()
    {
        (CoinbaseStreamProtocol protocol, InstrumentRegistry registry, FeedHealth health, _) = await CreateAsync();
        InstrumentId eth = registry.Resolve("COINBASE:ETH-USD").Id;
        InstrumentId btc = registry.Resolve("COINBASE:BTC-USD").Id;
        var events = new StreamEvents();

        Assert.Equal(FrameOutcomeKind.Ok, Feed(protocol, events, """{"type":"error","message":"Failed to subscribe to level2 for ETH-USD: product is not available\u001b[31m"}""").Kind);
        Assert.Equal("Coinbase: Failed to subscribe to level2 for ETH-USD: product is not available [31m", health.InstrumentError(eth));
        Assert.Null(health.InstrumentError(btc));
        Assert.Null(health.LastError);

        Feed(protocol, events, """{"type":"error","message":"failed to parse message"}""");
        Assert.Equal("Coinbase: failed to parse message", health.LastError);
        Assert.Equal(FrameOutcomeKind.RateLimited, Feed(protocol, events, """{"type":"error","message":"too many requests"}""").Kind);
        Assert.Equal(3, protocol.Errors);

        // Data for the instrument again: the error no longer holds.
        Feed(protocol, events, """{"channel":"market_trades","sequence_num":0,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"ETH-USD","price":"3000","size":"1","side":"BUY","time":"2026-11-22T09:00:00Z"}]}]}""");
        Assert.Null(health.InstrumentError(eth));
    }

    [Fact]
    public async Task Binary_frames_and_unreadable_text_are_malformed_and_unknown_products_counted()
    {
        (CoinbaseStreamProtocol protocol, _, FeedHealth health, _) = await CreateAsync();
        var events = new StreamEvents();
        Assert.Equal(FrameOutcomeKind.Malformed, protocol.Decode(new StreamFrame("{}"u8, false, s_now, 0), events).Kind);
        Assert.Equal(FrameOutcomeKind.Malformed, Feed(protocol, events, "{").Kind);
        Feed(protocol, events, """{"channel":"market_trades","sequence_num":0,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"NOPE-USD","price":"1","size":"1","side":"BUY","time":"2026-11-22T09:00:00Z"}]}]}""");
        Assert.Equal(1, health.UnknownInstruments);
    }
}
