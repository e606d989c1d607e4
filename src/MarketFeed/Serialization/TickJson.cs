using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Serialization;

/// <summary>The tick shape of docs/contracts.md. <c>depth</c> appears only when the tick carries depth (full mode).</summary>
public static class TickJson
{
    private static readonly string[] s_sources = ["stream", "poll", "replay", "history"];

    public static void Write(Utf8JsonWriter writer, in Tick tick, Instrument instrument)
    {
        TimeZoneInfo zone = instrument.Calendar.Zone;
        writer.WriteStartObject();
        writer.WriteString("type", "tick");
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteString("feed", instrument.Feed);
        writer.WriteNumber("seq", tick.Seq);
        JsonValues.WriteTime(writer, "exchangeTime", tick.HasExchangeTime ? tick.ExchangeTime : null, zone);
        JsonValues.WriteTime(writer, "receiveTime", tick.ReceiveTime, zone);
        JsonValues.WritePrice(writer, "ltp", tick.Ltp);
        JsonValues.WriteQuantity(writer, "ltq", tick.Ltq);
        JsonValues.WritePrice(writer, "atp", tick.Atp);
        JsonValues.WriteQuantity(writer, "volume", tick.Volume);
        JsonValues.WritePrice(writer, "bid", tick.Bid);
        JsonValues.WriteQuantity(writer, "bidQty", tick.BidQty);
        JsonValues.WritePrice(writer, "ask", tick.Ask);
        JsonValues.WriteQuantity(writer, "askQty", tick.AskQty);
        JsonValues.WritePrice(writer, "open", tick.Open);
        JsonValues.WritePrice(writer, "high", tick.High);
        JsonValues.WritePrice(writer, "low", tick.Low);
        JsonValues.WritePrice(writer, "close", tick.Close);
        JsonValues.WritePrice(writer, "change", tick.Change);
        if (tick.ChangePercent is { } percent)
        {
            writer.WriteNumber("changePercent", percent);
        }
        else
        {
            writer.WriteNull("changePercent");
        }

        JsonValues.WriteQuantity(writer, "oi", tick.Oi);
        if (tick.Greeks is { } greeks)
        {
            // Only where the venue sends them (option modes): the tick shape is otherwise unchanged.
            writer.WriteNumber("iv", greeks.Iv);
            writer.WriteNumber("delta", greeks.Delta);
            writer.WriteNumber("gamma", greeks.Gamma);
            writer.WriteNumber("theta", greeks.Theta);
            writer.WriteNumber("vega", greeks.Vega);
        }

        writer.WriteString("source", s_sources[(int)tick.Source]);
        WriteFlags(writer, tick.Flags);
        if (!tick.Depth.IsEmpty)
        {
            writer.WriteStartObject("depth");
            WriteLevels(writer, "bids", tick.Depth.Bids, tick.Depth.BidCount);
            WriteLevels(writer, "asks", tick.Depth.Asks, tick.Depth.AskCount);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static string ToJson(in Tick tick, Instrument instrument)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            Write(writer, in tick, instrument);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Quality flags the hub set (<c>outOfOrder</c>, <c>outlier</c>, <c>clockAhead</c>); omitted when none.</summary>
    private static void WriteFlags(Utf8JsonWriter writer, TickFlags flags)
    {
        if ((flags & (TickFlags.OutOfOrder | TickFlags.Outlier | TickFlags.ClockAhead)) == 0)
        {
            return;
        }

        writer.WriteStartArray("flags");
        if ((flags & TickFlags.OutOfOrder) != 0)
        {
            writer.WriteStringValue("outOfOrder");
        }

        if ((flags & TickFlags.Outlier) != 0)
        {
            writer.WriteStringValue("outlier");
        }

        if ((flags & TickFlags.ClockAhead) != 0)
        {
            writer.WriteStringValue("clockAhead");
        }

        writer.WriteEndArray();
    }

    private static void WriteLevels(Utf8JsonWriter writer, string name, DepthLevels levels, int count)
    {
        writer.WriteStartArray(name);
        for (int i = 0; i < count; i++)
        {
            DepthLevel level = levels[i];
            writer.WriteStartObject();
            JsonValues.WritePrice(writer, "price", level.Price);
            JsonValues.WriteQuantity(writer, "qty", level.Quantity);
            writer.WriteNumber("orders", level.Orders);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
