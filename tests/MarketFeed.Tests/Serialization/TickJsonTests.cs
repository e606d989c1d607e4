using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Serialization;

public class TickJsonTests
{
    private static readonly Instrument s_reliance = TestInstruments.Equity() with { Id = new InstrumentId(1), Feed = "sim" };

    [Fact]
    public void Writes_the_documented_tick_shape_with_exact_numbers_and_exchange_offsets()
    {
        var tick = new Tick(s_reliance.Id)
        {
            Seq = 1532,
            ExchangeTime = TestInstruments.Ist(9, 15, 2),
            ReceiveTime = TestInstruments.Ist(9, 15, 2, 13),
            Ltp = Price.FromScaled(293450, 2),
            Ltq = Quantity.FromUnits(10),
            Volume = Quantity.FromUnits(123456),
            Close = Price.FromDecimal(2925m),
            Bid = Price.FromDecimal(2934.4m),
        };

        using JsonDocument json = JsonDocument.Parse(TickJson.ToJson(in tick, s_reliance));
        JsonElement root = json.RootElement;
        Assert.Equal("tick", root.GetProperty("type").GetString());
        Assert.Equal("NSE:RELIANCE", root.GetProperty("symbol").GetString());
        Assert.Equal("sim", root.GetProperty("feed").GetString());
        Assert.Equal(1532, root.GetProperty("seq").GetInt64());
        Assert.Equal("2026-11-20T09:15:02+05:30", root.GetProperty("exchangeTime").GetString());
        Assert.Equal("2026-11-20T09:15:02.013+05:30", root.GetProperty("receiveTime").GetString());
        Assert.Equal("2934.5", root.GetProperty("ltp").GetRawText());
        Assert.Equal("9.5", root.GetProperty("change").GetRawText());
        Assert.Equal("0.32", root.GetProperty("changePercent").GetRawText());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("oi").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ask").ValueKind);
        Assert.Equal("stream", root.GetProperty("source").GetString());
        Assert.False(root.TryGetProperty("depth", out _));
        Assert.False(root.TryGetProperty("flags", out _));
    }

    [Fact]
    public void Full_mode_depth_and_quality_flags_are_written_when_present()
    {
        var tick = new Tick(s_reliance.Id) { Ltp = Price.FromDecimal(100), Flags = TickFlags.Outlier };
        tick.Depth.SetBid(0, new DepthLevel(Price.FromDecimal(99.95m), Quantity.FromUnits(500), 3));
        tick.Depth.SetAsk(0, new DepthLevel(Price.FromDecimal(100.05m), Quantity.FromUnits(300), 2));
        using JsonDocument json = JsonDocument.Parse(TickJson.ToJson(in tick, s_reliance));
        JsonElement bid = json.RootElement.GetProperty("depth").GetProperty("bids")[0];
        Assert.Equal(("99.95", "500", 3), (bid.GetProperty("price").GetRawText(), bid.GetProperty("qty").GetRawText(), bid.GetProperty("orders").GetInt32()));
        Assert.Equal("outlier", json.RootElement.GetProperty("flags")[0].GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("exchangeTime").ValueKind);
    }

    [Fact]
    public void Every_hub_quality_flag_is_named()
    {
        var tick = new Tick(s_reliance.Id) { Ltp = Price.FromDecimal(100), Flags = TickFlags.ClockAhead | TickFlags.Outlier | TickFlags.CumulativeVolume };
        using JsonDocument json = JsonDocument.Parse(TickJson.ToJson(in tick, s_reliance));
        Assert.Equal(["outlier", "clockAhead"], json.RootElement.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Option_greeks_are_written_only_when_the_venue_sent_them()
    {
        var tick = new Tick(s_reliance.Id) { Ltp = Price.FromDecimal(100), Oi = Quantity.FromUnits(4_567_800), Greeks = new OptionGreeks(0.5123, 0.00071, -12.4, 11.85, 14.2) };
        using JsonDocument json = JsonDocument.Parse(TickJson.ToJson(in tick, s_reliance));
        JsonElement root = json.RootElement;
        Assert.Equal(("14.2", "0.5123", "0.00071", "-12.4", "11.85", "4567800"),
            (root.GetProperty("iv").GetRawText(), root.GetProperty("delta").GetRawText(), root.GetProperty("gamma").GetRawText(),
             root.GetProperty("theta").GetRawText(), root.GetProperty("vega").GetRawText(), root.GetProperty("oi").GetRawText()));

        tick.Greeks = null;
        using JsonDocument plain = JsonDocument.Parse(TickJson.ToJson(in tick, s_reliance));
        Assert.False(plain.RootElement.TryGetProperty("delta", out _) || plain.RootElement.TryGetProperty("iv", out _));
    }
}
