using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>Requests per mode, acks and errors (an error naming a symbol goes to that instrument), and a failed book resubscribed alone on its connection.</summary>
public class KrakenStreamProtocolTests
{
    private readonly InstrumentRegistry _registry = new();
    private readonly KrakenInstrumentMaster _master = new();
    private readonly FeedHealth _health = new("kraken", TimeProvider.System);
    private readonly KrakenStreamProtocol _protocol;
    private readonly InstrumentId _btc;
    private readonly InstrumentId _eth;

    public KrakenStreamProtocolTests()
    {
        _master.Load(Encoding.UTF8.GetBytes(KrakenPairsJson.Sample), _registry, "kraken", 10, "sample");
        _protocol = new KrakenStreamProtocol(() => new KrakenOptions { BookDepth = 25 }, _master, _health);
        _btc = _registry.Resolve("KRAKEN:BTC/USD").Id;
        _eth = _registry.Resolve("KRAKEN:ETH/USD").Id;
    }

    [Fact]
    public void A_batch_is_one_request_per_channel_naming_its_symbols_and_a_downgrade_unsubscribes_what_is_no_longer_needed()
    {
        string[] first = Texts(_protocol.Subscribe([new(_btc, FeedMode.Full), new(_eth, FeedMode.Ltp)]));
        Assert.Equal(3, first.Length);
        Assert.Equal("""{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","ETH/USD"],"snapshot":false},"req_id":1}""", first[0]);
        Assert.Equal("""{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo","snapshot":true},"req_id":2}""", first[1]);
        Assert.Equal("""{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true},"req_id":3}""", first[2]);

        string[] downgrade = Texts(_protocol.Subscribe([new(_btc, FeedMode.Ltp)]));
        Assert.Equal("""{"method":"unsubscribe","params":{"channel":"ticker","symbol":["BTC/USD"]},"req_id":4}""", downgrade[0]);
        Assert.Equal("""{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25},"req_id":5}""", downgrade[1]);

        Assert.Equal(["""{"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]},"req_id":7}"""], Texts(_protocol.Unsubscribe([_btc])));
        Assert.Equal("""{"method":"ping","req_id":8}""", _protocol.IdleProbe()!.Value.ToString());
    }

    [Fact]
    public void An_error_naming_a_symbol_goes_to_that_instrument_and_a_later_ack_clears_it()
    {
        _protocol.Subscribe([new(_btc, FeedMode.Ltp), new(_eth, FeedMode.Ltp)]);
        FrameOutcome outcome = Decode("""{"error":"Symbol suspended BTC/USD","method":"subscribe","success":false,"symbol":"BTC/USD","time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z","req_id":1}""");
        Assert.Equal(FrameOutcomeKind.Ok, outcome.Kind);
        Assert.Equal("Kraken: Symbol suspended BTC/USD", _health.InstrumentError(_btc));
        Assert.Null(_health.InstrumentError(_eth));
        Assert.Null(_health.LastError);

        // An ack of another channel of the same pair leaves the error; an ack of the refused one clears it.
        Decode("""{"method":"subscribe","result":{"channel":"ticker","snapshot":true,"symbol":"BTC/USD"},"success":true,"req_id":2}""");
        Assert.NotNull(_health.InstrumentError(_btc));
        Decode("""{"method":"subscribe","result":{"channel":"trade","snapshot":false,"symbol":"BTC/USD"},"success":true,"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z","req_id":3}""");
        Assert.Null(_health.InstrumentError(_btc));
        Assert.Equal((2, 1), (_protocol.Acks, _protocol.RequestErrors));
    }

    [Fact]
    public void An_error_naming_no_pair_of_ours_goes_to_the_feed_and_a_message_rate_error_backs_off()
    {
        Decode("""{"error":"Currency pair not supported ABC/XYZ","method":"subscribe","success":false,"symbol":"ABC/XYZ","req_id":1}""");
        Assert.Contains("Currency pair not supported ABC/XYZ", _health.LastError, StringComparison.Ordinal);

        FrameOutcome outcome = Decode("""{"error":"Exceeded msg rate","success":false,"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z"}""");
        Assert.Equal((FrameOutcomeKind.RateLimited, KrakenStreamProtocol.TooManyMessagesBackoff), (outcome.Kind, outcome.RetryAfter));
    }

    [Fact]
    public async Task A_failed_book_is_resubscribed_alone_on_the_connection_that_carries_it()
    {
        _protocol.Subscribe([new(_btc, FeedMode.Full), new(_eth, FeedMode.Full)]);
        Decode("""{"method":"subscribe","result":{"channel":"book","depth":25,"snapshot":true,"symbol":"BTC/USD"},"success":true,"req_id":3}""", connection: 1);

        Assert.Null(await _protocol.GetBookSnapshotAsync(_btc, CancellationToken.None));
        var onOther = new StreamEvents();
        Decode("""{"channel":"heartbeat"}""", connection: 0, onOther);
        Assert.Empty(onOther.Replies);

        var onCarrier = new StreamEvents();
        Decode("""{"channel":"heartbeat"}""", connection: 1, onCarrier);
        Assert.Equal(2, onCarrier.Replies.Count);
        Assert.StartsWith("""{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25}""", onCarrier.Replies[0].ToString(), StringComparison.Ordinal);
        Assert.StartsWith("""{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true}""", onCarrier.Replies[1].ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _protocol.BookResubscribes);

        // Once: the next frame sends nothing more.
        var later = new StreamEvents();
        Decode("""{"channel":"heartbeat"}""", connection: 1, later);
        Assert.Empty(later.Replies);
    }

    [Fact]
    public void Binary_frames_and_channels_not_subscribed_are_malformed()
    {
        Assert.Equal(FrameOutcomeKind.Malformed, _protocol.Decode(new StreamFrame([1, 2, 3], isText: false, DateTime.UtcNow, 0), new StreamEvents()).Kind);
        Assert.Equal(FrameOutcomeKind.Malformed, Decode("""{"channel":"level3","type":"update","data":[]}""").Kind);
        Assert.Equal(1, _protocol.UnknownChannels);
    }

    private FrameOutcome Decode(string text, int connection = 0, StreamEvents? events = null) =>
        _protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(text), isText: true, DateTime.UtcNow, connection), events ?? new StreamEvents());

    private static string[] Texts(IEnumerable<ControlMessage> messages) => [.. messages.Select(m => m.ToString())];
}
