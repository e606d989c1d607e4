using System.Buffers;
using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Serialization;

public class BookJsonTests
{
    private static readonly Instrument s_btc = TestInstruments.Crypto() with { Id = new InstrumentId(3) };

    private static readonly BookView s_view = new(
        s_btc.Id, BookState.Synced, 812, 4_001_337, new DateTime(2026, 11, 20, 3, 45, 2, 250, DateTimeKind.Utc), new DateTime(2026, 11, 20, 3, 45, 2, 261, DateTimeKind.Utc),
        [Level("90000.1", "0.5"), Level("90000", "1.25000001")],
        [Level("90000.2", "0.00001")],
        2, 1, 0);

    [Fact]
    public void A_snapshot_is_the_documented_shape_with_exact_numbers_best_levels_first()
    {
        Assert.Equal(
            """{"type":"book","symbol":"BINANCE:BTCUSDT","seq":812,"snapshot":true,"bids":[[90000.1,0.5],[90000,1.25000001]],"asks":[[90000.2,0.00001]],"state":"synced"}""",
            BookJson.ToJson(s_view, s_btc));
    }

    [Fact]
    public void The_http_form_adds_the_update_id_times_and_counters()
    {
        using JsonDocument json = JsonDocument.Parse(BookJson.ToJson(s_view with { State = BookState.Resyncing }, s_btc, details: true));
        JsonElement root = json.RootElement;
        Assert.Equal("resyncing", root.GetProperty("state").GetString());
        Assert.Equal(4_001_337, root.GetProperty("lastUpdateId").GetInt64());
        Assert.Equal("2026-11-20T03:45:02.250+00:00", root.GetProperty("exchangeTime").GetString());
        Assert.Equal("2026-11-20T03:45:02.261+00:00", root.GetProperty("receiveTime").GetString());
        Assert.Equal((2, 1, 0), (root.GetProperty("gaps").GetInt64(), root.GetProperty("resyncs").GetInt64(), root.GetProperty("checksumFailures").GetInt64()));
    }

    [Fact]
    public void An_update_carries_only_the_changed_levels_with_qty_0_for_a_removed_one()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            BookJson.WriteUpdate(writer, s_view, s_btc, [Level("90000.1", "0")], []);
        }

        Assert.Equal(
            """{"type":"book","symbol":"BINANCE:BTCUSDT","seq":812,"snapshot":false,"bids":[[90000.1,0]],"asks":[],"state":"synced"}""",
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static BookLevelChange Level(string price, string quantity) =>
        new(Price.FromDecimal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)), Quantity.FromDecimal(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture)));
}
