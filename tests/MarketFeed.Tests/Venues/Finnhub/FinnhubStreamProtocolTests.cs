using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>The stream protocol with an instrument master loaded from the emulator's symbol lists.</summary>
public sealed class FinnhubStreamProtocolTests : IAsyncLifetime
{
    private readonly InstrumentRegistry _registry = new();
    private readonly FinnhubInstrumentMaster _master = new();
    private readonly FeedHealth _health = new("finnhub", TimeProvider.System);
    private FinnhubEmulator _emulator = null!;
    private FinnhubOptions _options = null!;
    private string _cache = null!;

    public async Task InitializeAsync()
    {
        _emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 0 });
        _cache = Directory.CreateTempSubdirectory("mf-finnhub-protocol-").FullName;
        _options = new FinnhubOptions
        {
            Token = _emulator.Token, StreamUrl = "ws://127.0.0.1:1", RestUrl = _emulator.RestUrl.ToString(), CacheDirectory = _cache, CallsPerMinute = 1800,
        };
        using var rest = new FinnhubRestClient(() => _options, TimeProvider.System);
        await _master.LoadAsync(_options, rest, _registry, "finnhub", DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
        _options.Token = "a/b+c";
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    private FinnhubStreamProtocol Protocol() => new(() => _options, _master, _health);

    private InstrumentId Id(string symbol) => _registry.Resolve(symbol).Id;

    private static string Text(ControlMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    [Fact]
    public async Task The_socket_url_carries_the_token_escaped_and_nothing_else()
    {
        StreamEndpoint endpoint = await Protocol().PrepareAsync(0, CancellationToken.None);

        Assert.Equal("ws://127.0.0.1:1/?token=a%2Fb%2Bc", endpoint.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Without_a_token_the_error_says_which_setting_and_no_url_is_built()
    {
        _options.Token = " ";
        var e = await Assert.ThrowsAsync<FeedConfigurationException>(() => Protocol().PrepareAsync(0, CancellationToken.None).AsTask());

        Assert.Contains("Finnhub:Token", e.Message);
    }

    [Fact]
    public void One_subscribe_message_per_symbol_in_finnhubs_shape_and_one_connection_of_max_symbols()
    {
        _options.MaxSymbols = 7;
        FinnhubStreamProtocol protocol = Protocol();
        ControlMessage[] messages = [.. protocol.Subscribe([new(Id("FINNHUB:AAPL"), FeedMode.Full), new(Id("FINNHUB:BINANCE:BTCUSDT"), FeedMode.Ltp)])];

        Assert.Equal(["{\"type\":\"subscribe\",\"symbol\":\"AAPL\"}", "{\"type\":\"subscribe\",\"symbol\":\"BINANCE:BTCUSDT\"}"], messages.Select(Text));
        Assert.True(messages.All(m => m.IsText));
        Assert.Equal((7, 1, 1), (protocol.Limits.InstrumentsPerConnection, protocol.Limits.Connections, protocol.Limits.InstrumentsPerMessage));
        Assert.Equal(["{\"type\":\"unsubscribe\",\"symbol\":\"AAPL\"}"], protocol.Unsubscribe([Id("FINNHUB:AAPL")]).Select(Text));
        Assert.Equal([Id("FINNHUB:BINANCE:BTCUSDT")], protocol.Requested);
    }

    [Fact]
    public void The_symbol_cap_error_marks_the_last_requested_instrument_alone_with_the_venues_text()
    {
        FinnhubStreamProtocol protocol = Protocol();
        _ = protocol.Subscribe([new(Id("FINNHUB:AAPL"), FeedMode.Ltp), new(Id("FINNHUB:MSFT"), FeedMode.Ltp), new(Id("FINNHUB:TSLA"), FeedMode.Ltp)]).ToList();

        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, FinnhubJson.TooManySymbols).Kind);
        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, FinnhubJson.TooManySymbols).Kind);

        Assert.Equal("Subscribing to too many symbols", _health.InstrumentError(Id("FINNHUB:TSLA")));
        Assert.Equal("Subscribing to too many symbols", _health.InstrumentError(Id("FINNHUB:MSFT")));
        Assert.Null(_health.InstrumentError(Id("FINNHUB:AAPL")));
        Assert.Equal([Id("FINNHUB:AAPL")], protocol.Requested);
        Assert.Contains("MSFT", _health.LastError);

        // Asked again (after a reconnect): judged afresh.
        _ = protocol.Subscribe([new(Id("FINNHUB:TSLA"), FeedMode.Ltp)]).ToList();
        Assert.Null(_health.InstrumentError(Id("FINNHUB:TSLA")));
    }

    [Fact]
    public void An_error_about_something_else_is_the_feeds_and_marks_no_instrument()
    {
        FinnhubStreamProtocol protocol = Protocol();
        _ = protocol.Subscribe([new(Id("FINNHUB:AAPL"), FeedMode.Ltp)]).ToList();

        Decode(protocol, "{\"msg\":\"Internal error\",\"type\":\"error\"}");

        Assert.Null(_health.InstrumentError(Id("FINNHUB:AAPL")));
        Assert.Equal("Finnhub error: Internal error", _health.LastError);
        Assert.Equal(1, protocol.Errors);
    }

    [Fact]
    public async Task A_new_connection_starts_with_nothing_requested()
    {
        FinnhubStreamProtocol protocol = Protocol();
        _ = protocol.Subscribe([new(Id("FINNHUB:AAPL"), FeedMode.Ltp)]).ToList();
        await protocol.PrepareAsync(0, CancellationToken.None);

        Decode(protocol, FinnhubJson.TooManySymbols);

        Assert.Empty(protocol.Requested);
        Assert.Null(_health.InstrumentError(Id("FINNHUB:AAPL")));
    }

    [Fact]
    public void A_trade_frame_repeated_verbatim_is_dropped_and_its_trades_counted_but_a_different_one_is_not()
    {
        FinnhubStreamProtocol protocol = Protocol();
        string frame = "{\"data\":[{\"p\":230.5,\"s\":\"AAPL\",\"t\":1763800000000,\"v\":3},{\"p\":90000.01,\"s\":\"BINANCE:BTCUSDT\",\"t\":1763800000001,\"v\":0.5}],\"type\":\"trade\"}";
        var events = new StreamEvents();

        Assert.Equal(2, DecodeInto(protocol, frame, events));
        Assert.Equal(0, DecodeInto(protocol, frame, events));
        Assert.Equal(0, DecodeInto(protocol, frame, events));
        Assert.Equal(1, DecodeInto(protocol, "{\"data\":[{\"p\":230.5,\"s\":\"AAPL\",\"t\":1763800000000,\"v\":3}],\"type\":\"trade\"}", events));

        Assert.Equal((4, 2), (_health.DuplicatesDropped, protocol.DuplicateFrames));

        // Pings are all alike: never duplicates.
        Decode(protocol, FinnhubJson.Ping);
        Decode(protocol, FinnhubJson.Ping);
        Assert.Equal(2, protocol.Pings);
    }

    [Fact]
    public void Trades_of_symbols_the_master_does_not_know_are_counted()
    {
        FinnhubStreamProtocol protocol = Protocol();

        Decode(protocol, "{\"data\":[{\"p\":1,\"s\":\"ZZZZ\",\"t\":1763800000000,\"v\":1}],\"type\":\"trade\"}");

        Assert.Equal(1, _health.UnknownInstruments);
    }

    [Fact]
    public void Binary_frames_and_unknown_types_are_malformed()
    {
        FinnhubStreamProtocol protocol = Protocol();
        var events = new StreamEvents();

        Assert.Equal(FrameOutcomeKind.Malformed, protocol.Decode(new StreamFrame("{\"type\":\"ping\"}"u8, false, DateTime.UtcNow, 0), events).Kind);
        Assert.Equal(FrameOutcomeKind.Malformed, Decode(protocol, "{\"type\":\"surprise\"}").Kind);
    }

    private static FrameOutcome Decode(FinnhubStreamProtocol protocol, string json) =>
        protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(json), true, DateTime.UtcNow, 0), new StreamEvents());

    private static int DecodeInto(FinnhubStreamProtocol protocol, string json, StreamEvents events)
    {
        events.Clear();
        Assert.Equal(FrameOutcomeKind.Ok, protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(json), true, DateTime.UtcNow, 0), events).Kind);
        return events.Ticks.Count;
    }
}
