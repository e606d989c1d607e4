using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;

namespace MarketFeed.Tests.Venues.Binance;

public class BinanceStreamProtocolTests
{
    private static async Task<(BinanceStreamProtocol Protocol, InstrumentRegistry Registry, FeedHealth Health, BinanceOptions Options)> CreateAsync()
    {
        string path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, BinanceExchangeInfoTests.ExchangeInfo);
        var options = new BinanceOptions { InstrumentsFile = path, StreamUrl = "ws://127.0.0.1:9" };
        var registry = new InstrumentRegistry();
        var master = new BinanceInstrumentMaster();
        var rest = new BinanceRestClient(() => options, TimeProvider.System);
        await master.LoadAsync(options, rest, registry, "binance", new DateOnly(2026, 11, 20), CancellationToken.None);
        var health = new FeedHealth("binance", TimeProvider.System);
        return (new BinanceStreamProtocol(() => options, master, rest, health), registry, health, options);
    }

    private static string[] Texts(IEnumerable<ControlMessage> messages) => [.. messages.Select(m => m.IsText ? m.ToString() : "binary")];

    [Fact]
    public async Task Connections_open_the_bare_combined_stream_endpoint_and_a_bad_url_is_named()
    {
        (BinanceStreamProtocol protocol, _, _, BinanceOptions options) = await CreateAsync();
        StreamEndpoint endpoint = await protocol.PrepareAsync(0, CancellationToken.None);
        Assert.Equal("ws://127.0.0.1:9/stream", endpoint.Uri.AbsoluteUri);

        options.StreamUrl = "wss://data-stream.binance.vision/";
        Assert.Equal("wss://data-stream.binance.vision/stream", protocol.BuildStreamUri().AbsoluteUri);

        options.StreamUrl = "https://stream.binance.com";
        Assert.Contains("Binance:StreamUrl", Assert.Throws<FeedConfigurationException>(() => protocol.BuildStreamUri()).Message);
    }

    [Fact]
    public async Task A_batch_is_one_subscribe_message_with_each_instruments_streams_for_its_mode()
    {
        (BinanceStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("BINANCE:BTCUSDT").Id;
        InstrumentId eth = registry.Resolve("BINANCE:ETHBTC").Id;
        InstrumentId shib = registry.Resolve("BINANCE:SHIBUSDT").Id;
        string[] sent = Texts(protocol.Subscribe([new(btc, FeedMode.Full), new(eth, FeedMode.Ltp), new(shib, FeedMode.Quote)]));
        Assert.Equal(["""{"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker","btcusdt@depth@100ms","ethbtc@trade","shibusdt@trade","shibusdt@bookTicker"],"id":1}"""], sent);
        Assert.Equal((1, 2, 3), (protocol.StreamsPerInstrument(FeedMode.Ltp), protocol.StreamsPerInstrument(FeedMode.Quote), protocol.StreamsPerInstrument(FeedMode.Full)));
    }

    [Fact]
    public async Task A_lower_mode_unsubscribes_the_streams_it_no_longer_needs_and_unsubscribe_drops_the_rest()
    {
        (BinanceStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId btc = registry.Resolve("BINANCE:BTCUSDT").Id;
        protocol.Subscribe([new(btc, FeedMode.Full)]);
        Assert.Equal(
            ["""{"method":"UNSUBSCRIBE","params":["btcusdt@bookTicker","btcusdt@depth@100ms"],"id":2}""", """{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":3}"""],
            Texts(protocol.Subscribe([new(btc, FeedMode.Ltp)])));

        // A replay after reconnecting (same mode) subscribes only.
        Assert.Equal(["""{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":4}"""], Texts(protocol.Subscribe([new(btc, FeedMode.Ltp)])));
        Assert.Equal(["""{"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":5}"""], Texts(protocol.Unsubscribe([btc])));
        Assert.Empty(protocol.Unsubscribe([new InstrumentId(999)]));
        Assert.Empty(protocol.Subscribe([new(new InstrumentId(999), FeedMode.Full)]));
    }

    [Fact]
    public async Task Symbols_outside_ascii_are_named_in_lower_case_as_valid_json()
    {
        (BinanceStreamProtocol protocol, InstrumentRegistry registry, _, _) = await CreateAsync();
        InstrumentId cjk = registry.Resolve("BINANCE:币安人生USDT").Id;
        Assert.Equal(["""{"method":"SUBSCRIBE","params":["币安人生usdt@trade"],"id":1}"""], Texts(protocol.Subscribe([new(cjk, FeedMode.Ltp)])));
    }

    [Fact]
    public async Task The_limits_are_binances_with_room_to_spare_on_the_message_rate()
    {
        (BinanceStreamProtocol protocol, _, _, _) = await CreateAsync();
        ShardingLimits limits = protocol.Limits;
        Assert.Equal((1024, 4.0, TimeSpan.FromHours(24)), (limits.StreamsPerConnection, limits.ControlMessagesPerSecond, limits.MaxConnectionAge));
        Assert.Equal((5, 50), (limits.Connections, limits.InstrumentsPerMessage));
        Assert.True(limits.InstrumentsPerMessage * 3 <= limits.StreamsPerConnection);
    }

    [Fact]
    public async Task The_idle_probe_asks_for_a_property_binance_always_answers()
    {
        (BinanceStreamProtocol protocol, _, _, _) = await CreateAsync();
        Assert.Equal("""{"method":"GET_PROPERTY","params":["combined"],"id":1}""", protocol.IdleProbe()!.Value.ToString());
        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, """{"result":true,"id":1}""", out _).Kind);
        Assert.Equal(1, protocol.ControlAcks);
    }

    [Fact]
    public async Task Frames_map_to_outcomes_market_data_ok_shutdown_handed_over_unknown_counted()
    {
        (BinanceStreamProtocol protocol, _, FeedHealth health, _) = await CreateAsync();
        string trade = BinanceDecoderTests.Trade.Replace("BNBBTC", "BTCUSDT", StringComparison.Ordinal);
        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, trade, out StreamEvents events).Kind);
        Assert.Single(events.Ticks);

        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, BinanceDecoderTests.Trade, out events).Kind);
        Assert.Empty(events.Ticks);
        Assert.Equal(1, health.UnknownInstruments);

        FrameOutcome shutdown = Decode(protocol, """{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}""", out _);
        Assert.Equal(FrameOutcomeKind.ServerShutdown, shutdown.Kind);
        Assert.Contains("2026-02-03 12:57:36Z", shutdown.Reason);

        Assert.Equal(FrameOutcomeKind.Malformed, Decode(protocol, """{"stream":"x@kline_1m","data":{"e":"kline","E":1,"s":"BTCUSDT","k":{}}}""", out _).Kind);
        Assert.Equal(1, protocol.UnknownEvents);
        Assert.Equal(FrameOutcomeKind.Malformed, Decode(protocol, "{\"data\":", out _).Kind);
        Assert.Equal(FrameOutcomeKind.Malformed, protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(trade), isText: false, DateTime.UtcNow, 0), new StreamEvents()).Kind);
    }

    [Fact]
    public async Task A_refused_control_message_is_recorded_and_too_many_messages_backs_the_connection_off()
    {
        (BinanceStreamProtocol protocol, _, FeedHealth health, _) = await CreateAsync();
        Assert.Equal(FrameOutcomeKind.Ok, Decode(protocol, """{"code":2,"msg":"Invalid request: unknown variant SUBSCRIB","id":9}""", out _).Kind);
        Assert.Equal("Binance refused control message 9 (code 2): Invalid request: unknown variant SUBSCRIB", health.LastError);

        FrameOutcome limited = Decode(protocol, """{"code":-1003,"msg":"Too many requests; current limit is 5 requests per second.","id":10}""", out _);
        Assert.Equal((FrameOutcomeKind.RateLimited, BinanceStreamProtocol.TooManyMessagesBackoff), (limited.Kind, limited.RetryAfter));
        Assert.Equal(2, protocol.ControlErrors);
    }

    [Fact]
    public async Task ClientWebSocket_answers_binance_pings_by_itself_and_never_surfaces_them()
    {
        // Binance pings every 20 s and drops connections that do not pong within a minute. .NET answers pings inside
        // ReceiveAsync (the session always has one pending): checked here against a raw socket on loopback.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new ClientWebSocket();
        Task connect = client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/stream"), CancellationToken.None);
        using TcpClient server = await listener.AcceptTcpClientAsync();
        NetworkStream stream = server.GetStream();
        string request = await ReadHeadersAsync(stream);
        string key = request.Split("\r\n").Single(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))[18..].Trim();
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        await connect;

        var buffer = new byte[64];
        Task<WebSocketReceiveResult> receive = client.ReceiveAsync(buffer, CancellationToken.None);
        await stream.WriteAsync(new byte[] { 0x89, 0x04, (byte)'p', (byte)'i', (byte)'n', (byte)'g' });

        byte[] pong = new byte[10];
        await stream.ReadExactlyAsync(pong);
        Assert.Equal(0x8A, pong[0]);
        Assert.Equal(0x80 | 4, pong[1]);
        Assert.Equal("ping", Encoding.ASCII.GetString([.. pong[6..].Select((b, i) => (byte)(b ^ pong[2 + i]))]));

        await stream.WriteAsync(new byte[] { 0x81, 0x02, (byte)'{', (byte)'}' });
        WebSocketReceiveResult first = await receive;
        Assert.Equal((WebSocketMessageType.Text, 2), (first.MessageType, first.Count));
    }

    private static FrameOutcome Decode(BinanceStreamProtocol protocol, string json, out StreamEvents events)
    {
        events = new StreamEvents();
        return protocol.Decode(new StreamFrame(Encoding.UTF8.GetBytes(json), isText: true, DateTime.UtcNow, 0), events);
    }

    private static async Task<string> ReadHeadersAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one);
            text.Append((char)one[0]);
        }

        return text.ToString();
    }
}
