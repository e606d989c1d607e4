using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Instruments;

namespace MarketFeed.Serialization;

/// <summary>The candle shape of docs/contracts.md (<c>flat</c> added when the bar is an empty-interval fill, <c>partial</c> when it holds only part of its interval).</summary>
public static class CandleJson
{
    /// <summary>Writes one candle; <paramref name="seq"/> is the series' event number on streams, null for candles read from history.</summary>
    public static void Write(Utf8JsonWriter writer, in Candle candle, CandleInterval interval, Instrument instrument, long? seq = null)
    {
        TimeZoneInfo zone = instrument.Calendar.Zone;
        writer.WriteStartObject();
        writer.WriteString("type", "candle");
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteString("interval", interval.Label);
        if (seq is { } number)
        {
            writer.WriteNumber("seq", number);
        }

        JsonValues.WriteTime(writer, "start", candle.Start, zone);
        JsonValues.WritePrice(writer, "open", candle.Open);
        JsonValues.WritePrice(writer, "high", candle.High);
        JsonValues.WritePrice(writer, "low", candle.Low);
        JsonValues.WritePrice(writer, "close", candle.Close);
        JsonValues.WriteQuantity(writer, "volume", candle.Volume);
        writer.WriteNumber("ticks", candle.Ticks);
        writer.WriteBoolean("closed", candle.IsClosed);
        if (candle.IsFlat)
        {
            writer.WriteBoolean("flat", true);
        }

        if (candle.IsPartial)
        {
            writer.WriteBoolean("partial", true);
        }

        writer.WriteEndObject();
    }
}
