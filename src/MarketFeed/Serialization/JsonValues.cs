using System.Globalization;
using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Serialization;

/// <summary>
/// How values appear in every JSON shape: prices and quantities as plain exact numbers (2934.5, never 2934.50000000
/// or 2934.4999), absent values as null, times as ISO-8601 with the exchange's offset.
/// </summary>
public static class JsonValues
{
    /// <summary>Writer options for every shape: compact, and '+' in offsets kept literal (the default encoder escapes it).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WritePrice(Utf8JsonWriter writer, string name, Price value)
    {
        writer.WritePropertyName(name);
        WriteFixed(writer, value.Raw, value.HasValue);
    }

    public static void WriteQuantity(Utf8JsonWriter writer, string name, Quantity value)
    {
        writer.WritePropertyName(name);
        WriteFixed(writer, value.Raw, value.HasValue);
    }

    /// <summary>A price as an array element (book levels are <c>[price, qty]</c> pairs).</summary>
    public static void WritePriceValue(Utf8JsonWriter writer, Price value) => WriteFixed(writer, value.Raw, value.HasValue);

    public static void WriteQuantityValue(Utf8JsonWriter writer, Quantity value) => WriteFixed(writer, value.Raw, value.HasValue);

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTime? utc, TimeZoneInfo zone)
    {
        if (utc is not { Ticks: > 0 } value)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteString(name, FormatTime(value, zone));
    }

    /// <summary><c>2026-11-20T09:15:02+05:30</c>, with milliseconds only when there are any.</summary>
    public static string FormatTime(DateTime utc, TimeZoneInfo zone)
    {
        DateTimeOffset local = TimeZones.ToZone(utc, zone);
        string format = local.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.fffzzz";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Lower(this Enum value) => value.ToString().ToLowerInvariant();

    /// <summary>PascalCase enum name as snake_case: AuthFailed → auth_failed.</summary>
    public static string Snake(this Enum value)
    {
        string name = value.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private static void WriteFixed(Utf8JsonWriter writer, long raw, bool hasValue)
    {
        if (!hasValue)
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> buffer = stackalloc byte[32];
        FixedPoint.TryFormatUtf8(raw, buffer, out int written);
        writer.WriteRawValue(buffer[..written], skipInputValidation: true);
    }
}
