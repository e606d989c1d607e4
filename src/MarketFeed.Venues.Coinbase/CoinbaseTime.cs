namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase's RFC 3339 times (<c>2026-11-22T09:00:00.123456789Z</c>, up to nanoseconds; <c>+00:00</c> also read)
/// parsed from UTF-8 without allocating, to 100 ns. Anything else — another offset, a missing part, an impossible
/// date — is refused.
/// </summary>
internal static class CoinbaseTime
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':'
            || !Digits(text[..4], out int year) || !Digits(text[5..7], out int month) || !Digits(text[8..10], out int day)
            || !Digits(text[11..13], out int hour) || !Digits(text[14..16], out int minute) || !Digits(text[17..19], out int second))
        {
            return false;
        }

        int at = 19;
        long fraction = 0;
        if (text[at] == '.')
        {
            int digits = 0;
            for (at++; at < text.Length && (uint)(text[at] - '0') <= 9; at++, digits++)
            {
                if (digits < 7)
                {
                    fraction = (fraction * 10) + (text[at] - '0');
                }
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                fraction *= 10;
            }
        }

        ReadOnlySpan<byte> zone = text[at..];
        if (!(zone.Length == 1 && (zone[0] | 0x20) == 'z') && !zone.SequenceEqual("+00:00"u8))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
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
