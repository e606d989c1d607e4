using System.Globalization;
using System.Text;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>How Binance writes values: prices and quantities as strings with exactly 8 decimals, times as integers (ms, or µs on request).</summary>
internal static class BinanceJson
{
    private const long Factor = 100_000_000;
    private static readonly System.Text.Json.JsonSerializerOptions s_relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>90000.01000000</c> from a fixed-point raw value (10^-8 units).</summary>
    public static string Decimal8(long raw)
    {
        var text = new StringBuilder(24);
        AppendDecimal8(text, raw);
        return text.ToString();
    }

    public static StringBuilder AppendDecimal8(StringBuilder text, long raw)
    {
        ulong magnitude = raw < 0 ? (ulong)(-(raw + 1)) + 1UL : (ulong)raw;
        if (raw < 0)
        {
            text.Append('-');
        }

        return text.Append(CultureInfo.InvariantCulture, $"{magnitude / Factor}.{magnitude % Factor:D8}");
    }

    /// <summary>A decimal rounded to 8 places and written with exactly 8.</summary>
    public static string Decimal8(decimal value) =>
        decimal.Round(value, 8, MidpointRounding.AwayFromZero).ToString("0.00000000", CultureInfo.InvariantCulture);

    /// <summary>Appends <c>"<paramref name="raw"/>"</c> as a quoted 8-decimal string.</summary>
    public static StringBuilder AppendQuoted(StringBuilder text, long raw) => AppendDecimal8(text.Append('"'), raw).Append('"');

    public static long UnixMilliseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>A time as Binance sends it: Unix milliseconds, or microseconds on connections opened with <c>timeUnit=MICROSECOND</c>.</summary>
    public static long UnixTime(DateTime utc, bool microseconds) =>
        (utc.Ticks - DateTime.UnixEpoch.Ticks) / (microseconds ? TimeSpan.TicksPerMicrosecond : TimeSpan.TicksPerMillisecond);

    public static DateTime FromUnixMilliseconds(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    /// <summary>A JSON string literal (quotes included), escaped only where JSON needs it (backticks stay as they are).</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, s_relaxed);
}
