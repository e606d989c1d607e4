using System.Text.Json;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>Kraken's symbols, numbers and times as the decoder reads them.</summary>
internal static partial class KrakenDecoder
{
    /// <summary>The next token, a string naming a symbol: its slot, or -1 for a symbol the master does not hold.</summary>
    private static bool Symbol(ref Utf8JsonReader reader, KrakenSymbolMap symbols, out int slot)
    {
        slot = -1;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            // Kraken's symbols are plain ASCII: an escape in one is not Kraken's.
            return false;
        }

        slot = symbols.Slot(reader.ValueSpan);
        return true;
    }

    /// <summary>The next token, a JSON number with no sign or exponent and at most 8 decimals, as raw fixed point and its decimals as written.</summary>
    public static bool Number(ref Utf8JsonReader reader, out long raw, out int decimals)
    {
        raw = 0;
        decimals = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        ReadOnlySpan<byte> text = reader.ValueSpan;
        int point = text.IndexOf((byte)'.');
        decimals = point < 0 ? 0 : text.Length - point - 1;
        return decimals <= FixedPoint.Scale && FixedPoint.TryParseUtf8(text, out raw);
    }

    /// <summary>The next token, an RFC 3339 UTC time (<c>2023-09-25T07:49:37.708706Z</c>, up to 9 fractional digits; 7 are kept).</summary>
    public static bool Timestamp(ref Utf8JsonReader reader, out DateTime time)
    {
        time = default;
        return reader.Read() && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryParseTime(reader.ValueSpan, out time);
    }

    public static bool TryParseTime(ReadOnlySpan<byte> s, out DateTime time)
    {
        time = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z'
            || !Digits(s[..4], out int year) || !Digits(s.Slice(5, 2), out int month) || !Digits(s.Slice(8, 2), out int day)
            || !Digits(s.Slice(11, 2), out int hour) || !Digits(s.Slice(14, 2), out int minute) || !Digits(s.Slice(17, 2), out int second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fraction = 0;
        ReadOnlySpan<byte> rest = s[19..^1];
        if (!rest.IsEmpty)
        {
            if (rest[0] != '.' || rest.Length is < 2 or > 10)
            {
                return false;
            }

            int digits = 0;
            foreach (byte b in rest[1..])
            {
                if ((uint)(b - '0') > 9)
                {
                    return false;
                }

                if (digits++ < 7)
                {
                    fraction = (fraction * 10) + (b - '0');
                }
            }

            for (; digits < 7; digits++)
            {
                fraction *= 10;
            }
        }

        time = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (byte b in s)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
