using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Tests.Venues.Kite;

public class KiteStreamProtocolTests
{
    private static (KiteStreamProtocol Protocol, InstrumentRegistry Registry, FeedHealth Health) Create(KiteOptions? options = null)
    {
        string csv = KiteInstrumentCsv.Header + "\n" +
            "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\n" +
            "256265,1001,NIFTY 50,NIFTY 50,0,,0,0.05,0,EQ,INDICES,NSE\n";
        string path = Path.GetTempFileName();
        File.WriteAllText(path, csv);
        var registry = new InstrumentRegistry();
        var master = new KiteInstrumentMaster();
        options ??= new KiteOptions { ApiKey = "key", AccessToken = "tok en", InstrumentsFile = path };
        options.InstrumentsFile ??= path;
        master.LoadAsync(options, null!, registry, "kite", new DateOnly(2026, 11, 20), CancellationToken.None).GetAwaiter().GetResult();
        var health = new FeedHealth("kite", TimeProvider.System);
        return (new KiteStreamProtocol(() => options, master, health), registry, health);
    }

    [Fact]
    public void Subscribes_by_token_then_sets_the_mode_per_group()
    {
        (KiteStreamProtocol protocol, InstrumentRegistry registry, _) = Create();
        InstrumentId infy = registry.Resolve("NSE:INFY").Id;
        InstrumentId nifty = registry.Resolve("NSE:NIFTY 50").Id;
        ControlMessage[] sent = [.. protocol.Subscribe([new DesiredSubscription(infy, FeedMode.Full), new DesiredSubscription(nifty, FeedMode.Ltp)])];
        Assert.All(sent, m => Assert.True(m.IsText));
        string[] messages = [.. sent.Select(m => m.ToString())];
        Assert.Equal(
            ["{\"a\":\"subscribe\",\"v\":[408065]}", "{\"a\":\"mode\",\"v\":[\"full\",[408065]]}", "{\"a\":\"subscribe\",\"v\":[256265]}", "{\"a\":\"mode\",\"v\":[\"ltp\",[256265]]}"],
            messages);
        Assert.Equal(["{\"a\":\"unsubscribe\",\"v\":[408065,256265]}"], protocol.Unsubscribe([infy, nifty]).Select(m => m.ToString()));
        Assert.Equal((3000, 3, 200), (protocol.Limits.InstrumentsPerConnection, protocol.Limits.Connections, protocol.Limits.InstrumentsPerMessage));
    }

    [Fact]
    public void The_url_carries_escaped_credentials_read_at_each_call_and_missing_ones_are_named()
    {
        var options = new KiteOptions { ApiKey = "key", AccessToken = "tok en", StreamUrl = "ws://127.0.0.1:9/" };
        (KiteStreamProtocol protocol, _, _) = Create(options);
        Assert.Equal("ws://127.0.0.1:9/?api_key=key&access_token=tok%20en", protocol.BuildStreamUri().AbsoluteUri);

        options.AccessToken = "rotated";
        Assert.EndsWith("access_token=rotated", protocol.BuildStreamUri().AbsoluteUri);

        options.AccessToken = null;
        FeedConfigurationException missing = Assert.Throws<FeedConfigurationException>(() => protocol.BuildStreamUri());
        Assert.Contains("MARKETFEED_Kite__AccessToken", missing.Message);
    }

    [Fact]
    public void Text_messages_are_surfaced_and_unreadable_ones_reported()
    {
        (KiteStreamProtocol protocol, _, FeedHealth health) = Create();
        string? order = null;
        protocol.OrderUpdate += json => order = json;
        Assert.True(protocol.HandleText("{\"type\":\"order\",\"data\":{\"order_id\":\"1\",\"status\":\"COMPLETE\"}}"));
        Assert.Contains("COMPLETE", order);
        Assert.True(protocol.HandleText("{\"type\":\"error\",\"data\":\"token expired\"}"));
        Assert.Equal("Kite: token expired", health.LastError);
        Assert.False(protocol.HandleText("{not json"));
        Assert.False(protocol.HandleText("{\"type\":\"mystery\"}"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"type\":12}")]
    [InlineData("{\"type\":null}")]
    [InlineData("{\"type\":\"surprise\",\"data\":{}}")]
    [InlineData("{not json")]
    public void Text_that_is_not_a_kite_message_is_unreadable_and_never_throws(string text)
    {
        (KiteStreamProtocol protocol, _, FeedHealth health) = Create();
        Assert.False(protocol.HandleText(text));
        Assert.Null(health.LastError);
    }

    [Fact]
    public void An_error_without_data_is_still_surfaced_and_huge_error_text_is_stored_short_and_printable()
    {
        (KiteStreamProtocol protocol, _, FeedHealth health) = Create();
        Assert.True(protocol.HandleText("{\"type\":\"error\"}"));
        Assert.Equal("Kite: error without detail", health.LastError);

        string huge = string.Concat(Enumerable.Repeat("bad\\u0000\\u001b[31m\\r\\n", 5_000));
        Assert.True(protocol.HandleText("{\"type\":\"error\",\"data\":\"" + huge + "\"}"));
        Assert.True(health.LastError!.Length <= FeedHealth.MaxErrorLength + 1);
        Assert.DoesNotContain(health.LastError, char.IsControl);
        Assert.StartsWith("Kite: bad [31m bad", health.LastError);
    }

    [Fact]
    public void A_binary_frame_is_malformed_when_cut_short_or_longer_than_its_packets_and_its_whole_packets_still_count()
    {
        (KiteStreamProtocol protocol, _, _) = Create();
        byte[] frame = KiteEncoder.Frame([Convert.FromHexString("00063a0100026683")]); // INFY, LTP 1573.15
        var ticks = new List<Tick>();
        Assert.True(protocol.DecodeBinary(frame, DateTime.UtcNow, ticks));
        Assert.True(protocol.DecodeBinary([0], DateTime.UtcNow, ticks));
        Assert.False(protocol.DecodeBinary(frame[..^1], DateTime.UtcNow, ticks));
        Assert.False(protocol.DecodeBinary([.. frame, 0], DateTime.UtcNow, ticks));
        Assert.Equal(2, ticks.Count);
    }

    [Fact]
    public void Text_escaping_half_a_surrogate_pair_is_unreadable_and_never_an_exception()
    {
        // Found by fuzzing: such JSON parses, then name lookups and string reads threw InvalidOperationException.
        (KiteStreamProtocol protocol, _, _) = Create();
        Assert.False(protocol.HandleText("{\"\\ud800\":1,\"type\":\"message\"}"));
        Assert.False(protocol.HandleText("{\"type\":\"message\",\"data\":\"\\ud800\"}"));
        Assert.True(protocol.HandleText("{\"type\":\"message\",\"data\":\"\\ud83d\\ude00\"}"));
    }
}
