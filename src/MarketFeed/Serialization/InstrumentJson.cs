using System.Globalization;
using System.Text.Json;
using MarketFeed.Instruments;

namespace MarketFeed.Serialization;

/// <summary>The instrument shape of docs/contracts.md (plus <c>name</c>).</summary>
public static class InstrumentJson
{
    public static void Write(Utf8JsonWriter writer, Instrument instrument)
    {
        writer.WriteStartObject();
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteString("exchange", instrument.Exchange);
        writer.WriteString("name", instrument.Name);
        writer.WriteString("kind", instrument.Kind.Lower());
        writer.WriteString("underlying", instrument.Underlying);
        writer.WriteString("expiry", instrument.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        JsonValues.WritePrice(writer, "strike", instrument.Strike);
        JsonValues.WritePrice(writer, "tickSize", instrument.TickSize);
        writer.WriteNumber("lotSize", instrument.LotSize);
        if (instrument.QuantityStep.HasValue)
        {
            JsonValues.WriteQuantity(writer, "quantityStep", instrument.QuantityStep);
        }

        writer.WriteString("feed", instrument.Feed);
        writer.WriteEndObject();
    }
}
