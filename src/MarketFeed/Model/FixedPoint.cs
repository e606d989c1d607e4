using System.Buffers.Text;
using System.Globalization;

namespace MarketFeed.Model;

/// <summary>
/// Shared arithmetic for <see cref="Price"/> and <see cref="Quantity"/>: a signed 64-bit integer holding the value
/// times 10^8. Eight decimals cover every venue we speak (Kite CDS uses 7, crypto quantities 8) and the range
/// (±92 billion) covers any price or day volume. Conversions never divide per field: a venue's scaled integer is
/// multiplied up to the common scale once, at decode.
/// </summary>
internal static class FixedPoint
{
    public const int Scale = 8;
    public const long Factor = 100_000_000;

    /// <summary>The raw value that means "no value" (absent field), never a real number.</summary>
    public const long Absent = long.MinValue;

    private static readonly long[] s_powersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
    ];

    /// <summary>Multiplier turning a value with <paramref name="decimals"/> implied decimals into raw units.</summary>
    public static long ScaleUp(int decimals)
    {
        if ((uint)decimals > Scale)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, $"At most {Scale} decimals are supported.");
        }

        return s_powersOfTen[Scale - decimals];
    }

    public static long PowerOfTen(int exponent) => s_powersOfTen[exponent];

    public static long FromDecimal(decimal value)
    {
        decimal scaled = decimal.Round(value * Factor, 0, MidpointRounding.AwayFromZero);
        return decimal.ToInt64(scaled);
    }

    /// <summary>
    /// Builds the decimal straight from the scaled integer with the shortest scale (2934.5, not 2934.50000000), so
    /// it prints as people expect. Not used on the decode path, which never leaves fixed point.
    /// </summary>
    public static decimal ToDecimal(long raw)
    {
        bool negative = raw < 0;
        ulong magnitude = negative ? (ulong)(-(raw + 1)) + 1UL : (ulong)raw;
        byte scale = Scale;
        while (scale > 0 && magnitude % 10 == 0 && magnitude != 0)
        {
            magnitude /= 10;
            scale--;
        }

        if (magnitude == 0)
        {
            scale = 0;
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, scale);
    }

    public static double ToDouble(long raw) => raw / (double)Factor;

    public static long FromDouble(double value) => checked((long)Math.Round(value * Factor, MidpointRounding.AwayFromZero));

    /// <summary>Shortest plain decimal text: 2934.5, 0.05, -12, 0.00000001. Invariant culture.</summary>
    public static bool TryFormat(long raw, Span<char> destination, out int written)
    {
        Span<byte> utf8 = stackalloc byte[32];
        if (!TryFormatUtf8(raw, utf8, out int count) || count > destination.Length)
        {
            written = 0;
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            destination[i] = (char)utf8[i];
        }

        written = count;
        return true;
    }

    public static bool TryFormatUtf8(long raw, Span<byte> destination, out int written)
    {
        written = 0;
        if (raw == Absent)
        {
            return false;
        }

        bool negative = raw < 0;
        ulong magnitude = negative ? (ulong)(-(raw + 1)) + 1UL : (ulong)raw;
        ulong whole = magnitude / Factor;
        ulong fraction = magnitude % Factor;

        int pos = 0;
        if (negative)
        {
            if (destination.Length < 1)
            {
                return false;
            }

            destination[pos++] = (byte)'-';
        }

        if (!Utf8Formatter.TryFormat(whole, destination[pos..], out int wholeLength))
        {
            return false;
        }

        pos += wholeLength;
        if (fraction != 0)
        {
            int digits = Scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            if (destination.Length < pos + 1 + digits)
            {
                return false;
            }

            destination[pos++] = (byte)'.';
            for (int i = digits - 1; i >= 0; i--)
            {
                destination[pos + i] = (byte)('0' + (int)(fraction % 10));
                fraction /= 10;
            }

            pos += digits;
        }

        written = pos;
        return true;
    }

    public static string ToString(long raw)
    {
        if (raw == Absent)
        {
            return string.Empty;
        }

        Span<char> buffer = stackalloc char[32];
        TryFormat(raw, buffer, out int written);
        return new string(buffer[..written]);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out long raw)
    {
        raw = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        if (Math.Abs(value) > 90_000_000_000m)
        {
            return false;
        }

        raw = FromDecimal(value);
        return true;
    }
}
