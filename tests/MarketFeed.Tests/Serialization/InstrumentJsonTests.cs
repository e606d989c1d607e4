using System.Text;
using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Serialization;

public class InstrumentJsonTests
{
    private static JsonElement Write(Instrument instrument)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            InstrumentJson.Write(writer, instrument);
        }

        return JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement;
    }

    [Fact]
    public void A_fractional_quantity_step_is_written_and_absent_otherwise()
    {
        JsonElement crypto = Write(TestInstruments.Crypto() with { QuantityStep = Quantity.FromDecimal(0.00001m) });
        Assert.Equal(0.00001m, crypto.GetProperty("quantityStep").GetDecimal());
        Assert.Equal(1, crypto.GetProperty("lotSize").GetInt32());
        Assert.False(Write(TestInstruments.Equity()).TryGetProperty("quantityStep", out _));
    }
}
