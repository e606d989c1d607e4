using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Instruments;

namespace MarketFeed.Serialization;

/// <summary>
/// The candle shapes of docs/contracts.md: a candle (<c>origin</c> always; <c>flat</c> added when the bar is an
/// empty-interval fill, <c>partial</c> when it holds only part of its interval) and a <c>candleRevised</c> message.
/// </summary>
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

        WriteBar(writer, in candle, zone);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a <c>candleRevised</c> message: the bar's <c>old</c> values (null for a backfilled bar the series did not
    /// have) and its <c>new</c> ones, with the series' event number.
    /// </summary>
    public static void WriteRevision(Utf8JsonWriter writer, Candle? old, in Candle replacement, CandleInterval interval, Instrument instrument, long seq)
    {
        TimeZoneInfo zone = instrument.Calendar.Zone;
        writer.WriteStartObject();
        writer.WriteString("type", "candleRevised");
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteString("interval", interval.Label);
        writer.WriteNumber("seq", seq);
        if (old is { } before)
        {
            writer.WritePropertyName("old");
            writer.WriteStartObject();
            WriteBar(writer, in before, zone);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("old");
        }

        writer.WritePropertyName("new");
        writer.WriteStartObject();
        WriteBar(writer, in replacement, zone);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBar(Utf8JsonWriter writer, in Candle candle, TimeZoneInfo zone)
    {
        JsonValues.WriteTime(writer, "start", candle.Start, zone);
        JsonValues.WritePrice(writer, "open", candle.Open);
        JsonValues.WritePrice(writer, "high", candle.High);
        JsonValues.WritePrice(writer, "low", candle.Low);
        JsonValues.WritePrice(writer, "close", candle.Close);
        JsonValues.WriteQuantity(writer, "volume", candle.Volume);
        writer.WriteNumber("ticks", candle.Ticks);
        writer.WriteBoolean("closed", candle.IsClosed);
        writer.WriteString("origin", candle.OriginName);
        if (candle.IsFlat)
        {
            writer.WriteBoolean("flat", true);
        }

        if (candle.IsPartial)
        {
            writer.WriteBoolean("partial", true);
        }
    }
}
