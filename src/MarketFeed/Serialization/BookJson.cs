using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Instruments;

namespace MarketFeed.Serialization;

/// <summary>
/// The book shape: <c>{"type":"book","symbol":…,"seq":…,"snapshot":true|false,"bids":[[price,qty],…],"asks":[…],"state":"synced"|"resyncing"}</c>,
/// bids best (highest) first, asks best (lowest) first. A snapshot carries every level to the depth shown; an update
/// only the levels that changed, qty 0 meaning the level is gone. The HTTP form adds the book's update id, times and
/// counters.
/// </summary>
public static class BookJson
{
    /// <summary>The whole book as a snapshot; <paramref name="details"/> adds lastUpdateId, times and counters (HTTP).</summary>
    public static void WriteSnapshot(Utf8JsonWriter writer, BookView view, Instrument instrument, bool details = false)
    {
        WriteStart(writer, view, instrument, snapshot: true);
        WriteLevels(writer, "bids", view.Bids);
        WriteLevels(writer, "asks", view.Asks);
        WriteState(writer, view.State);
        if (details)
        {
            TimeZoneInfo zone = instrument.Calendar.Zone;
            writer.WriteNumber("lastUpdateId", view.LastUpdateId);
            JsonValues.WriteTime(writer, "exchangeTime", view.ExchangeTime, zone);
            JsonValues.WriteTime(writer, "receiveTime", view.ReceiveTime, zone);
            writer.WriteNumber("gaps", view.Gaps);
            writer.WriteNumber("resyncs", view.Resyncs);
            writer.WriteNumber("checksumFailures", view.ChecksumFailures);
        }

        writer.WriteEndObject();
    }

    /// <summary>An update carrying only <paramref name="bids"/> and <paramref name="asks"/>, the levels that changed.</summary>
    public static void WriteUpdate(
        Utf8JsonWriter writer, BookView view, Instrument instrument, ReadOnlySpan<BookLevelChange> bids, ReadOnlySpan<BookLevelChange> asks)
    {
        WriteStart(writer, view, instrument, snapshot: false);
        WriteLevels(writer, "bids", bids);
        WriteLevels(writer, "asks", asks);
        WriteState(writer, view.State);
        writer.WriteEndObject();
    }

    public static string ToJson(BookView view, Instrument instrument, bool details = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            WriteSnapshot(writer, view, instrument, details);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStart(Utf8JsonWriter writer, BookView view, Instrument instrument, bool snapshot)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "book");
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteNumber("seq", view.Sequence);
        writer.WriteBoolean("snapshot", snapshot);
    }

    private static void WriteState(Utf8JsonWriter writer, BookState state) => writer.WriteString("state", state.Lower());

    private static void WriteLevels(Utf8JsonWriter writer, string name, IReadOnlyList<BookLevelChange> levels)
    {
        writer.WriteStartArray(name);
        for (int i = 0; i < levels.Count; i++)
        {
            WriteLevel(writer, levels[i]);
        }

        writer.WriteEndArray();
    }

    private static void WriteLevels(Utf8JsonWriter writer, string name, ReadOnlySpan<BookLevelChange> levels)
    {
        writer.WriteStartArray(name);
        foreach (BookLevelChange level in levels)
        {
            WriteLevel(writer, level);
        }

        writer.WriteEndArray();
    }

    private static void WriteLevel(Utf8JsonWriter writer, BookLevelChange level)
    {
        writer.WriteStartArray();
        JsonValues.WritePriceValue(writer, level.Price);
        JsonValues.WriteQuantityValue(writer, level.Quantity);
        writer.WriteEndArray();
    }
}
