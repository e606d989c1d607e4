using System.Globalization;
using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Journal;

/// <summary>
/// An instrument's definition as a <see cref="JournalRecordKind.Marker"/> record of the normalized log, written before
/// its first event: a replay registers exactly the instruments (tick size, lot, session calendar) the recording had,
/// without the venue's instrument master.
/// </summary>
public static class JournalInstrumentCodec
{
    /// <summary>The marker's first bytes, telling it from other markers.</summary>
    public static ReadOnlySpan<byte> Prefix => "instrument "u8;

    public static byte[] Write(Instrument instrument)
    {
        using var stream = new MemoryStream();
        stream.Write(Prefix);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("exchange", instrument.Exchange);
            json.WriteString("tradingSymbol", instrument.TradingSymbol);
            json.WriteString("name", instrument.Name);
            json.WriteString("kind", instrument.Kind.ToString());
            json.WriteString("underlying", instrument.Underlying);
            json.WriteString("expiry", instrument.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteNumber("strike", instrument.Strike.Raw);
            json.WriteNumber("tickSize", instrument.TickSize.Raw);
            json.WriteNumber("lotSize", instrument.LotSize);
            json.WriteNumber("quantityStep", instrument.QuantityStep.Raw);
            json.WriteString("feed", instrument.Feed);
            json.WriteString("nativeKey", instrument.NativeKey);
            SessionCalendar calendar = instrument.Calendar;
            json.WriteStartObject("calendar");
            json.WriteString("name", calendar.Name);
            json.WriteString("zone", calendar.Zone.Id);
            json.WriteNumber("openTicks", calendar.Open.Ticks);
            json.WriteNumber("lengthTicks", calendar.Length.Ticks);
            json.WriteBoolean("weekends", calendar.TradesOnWeekends);
            json.WriteStartArray("holidays");
            foreach (DateOnly day in calendar.Holidays.Order())
            {
                json.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static bool IsInstrument(ReadOnlySpan<byte> marker) => marker.StartsWith(Prefix);

    /// <exception cref="JournalException">The marker is not a readable instrument definition.</exception>
    public static Instrument Read(ReadOnlySpan<byte> marker)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(marker[Prefix.Length..].ToArray());
            JsonElement i = document.RootElement;
            JsonElement c = i.GetProperty("calendar");
            var calendar = new SessionCalendar(
                c.GetProperty("name").GetString()!,
                TimeZoneInfo.FindSystemTimeZoneById(c.GetProperty("zone").GetString()!),
                TimeSpan.FromTicks(c.GetProperty("openTicks").GetInt64()),
                TimeSpan.FromTicks(c.GetProperty("lengthTicks").GetInt64()),
                c.GetProperty("weekends").GetBoolean(),
                c.GetProperty("holidays").EnumerateArray().Select(d => DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
            return new Instrument
            {
                Exchange = i.GetProperty("exchange").GetString()!,
                TradingSymbol = i.GetProperty("tradingSymbol").GetString()!,
                Name = i.GetProperty("name").GetString() ?? "",
                Kind = Enum.Parse<InstrumentKind>(i.GetProperty("kind").GetString()!),
                Underlying = i.GetProperty("underlying").GetString(),
                Expiry = i.GetProperty("expiry").GetString() is { } expiry ? DateOnly.ParseExact(expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                Strike = Price.FromRaw(i.GetProperty("strike").GetInt64()),
                TickSize = Price.FromRaw(i.GetProperty("tickSize").GetInt64()),
                LotSize = i.GetProperty("lotSize").GetInt32(),
                QuantityStep = Quantity.FromRaw(i.GetProperty("quantityStep").GetInt64()),
                Feed = i.GetProperty("feed").GetString()!,
                NativeKey = i.GetProperty("nativeKey").GetString()!,
                Calendar = calendar,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or TimeZoneNotFoundException)
        {
            throw new JournalException($"an instrument marker that cannot be read: {e.Message}");
        }
    }
}
