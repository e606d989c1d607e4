using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// Parses a plain decimal straight from UTF-8 bytes ("50000.12000000", "0.001", "100"), exactly and without
    /// allocating: digits, optionally '.' and more digits, and a leading '-' only when <paramref name="allowSign"/>.
    /// Fraction digits past the eighth must be zeros (anything else cannot be held exactly). Refused: empty text, a
    /// lone sign or point, '+', exponents, whitespace, and values beyond the raw range. On the decode path of every
    /// JSON venue: eight fraction digits (Binance always sends eight) are checked and converted a word at a time.
    /// </summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out long raw, bool allowSign = false)
    {
        const ulong MaxWhole = long.MaxValue / Factor;
        raw = 0;
        int length = text.Length;

        // Every read below is at an index checked against length first.
        ref byte first = ref MemoryMarshal.GetReference(text);
        int i = 0;
        bool negative = false;
        if (length != 0 && first == (byte)'-')
        {
            if (!allowSign)
            {
                return false;
            }

            negative = true;
            i = 1;
        }

        int wholeStart = i;
        ulong whole = 0;
        for (; i < length; i++)
        {
            uint digit = (uint)(Unsafe.Add(ref first, i) - '0');
            if (digit > 9)
            {
                break;
            }

            whole = (whole * 10) + digit;
            if (whole > MaxWhole)
            {
                return false;
            }
        }

        if (i == wholeStart)
        {
            return false;
        }

        ulong fraction = 0;
        if (i < length)
        {
            if (Unsafe.Add(ref first, i++) != (byte)'.' || i == length)
            {
                return false;
            }

            int digits = length - i;
            if (digits >= Scale)
            {
                if (!TryEightDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i)), out fraction))
                {
                    return false;
                }

                // Past the eighth digit only zeros keep the value exact.
                for (i += Scale; i < length; i++)
                {
                    if (Unsafe.Add(ref first, i) != (byte)'0')
                    {
                        return false;
                    }
                }
            }
            else
            {
                for (; i < length; i++)
                {
                    uint digit = (uint)(Unsafe.Add(ref first, i) - '0');
                    if (digit > 9)
                    {
                        return false;
                    }

                    fraction = (fraction * 10) + digit;
                }

                fraction *= (ulong)s_powersOfTen[Scale - digits];
            }
        }

        // whole ≤ long.MaxValue / Factor, so this cannot wrap a ulong; it can still pass long.MaxValue.
        ulong magnitude = (whole * Factor) + fraction;
        if (magnitude > long.MaxValue)
        {
            return false;
        }

        raw = negative ? -(long)magnitude : (long)magnitude;
        return true;
    }

    /// <summary>Eight ASCII digits read as one word (first digit at the lowest address) as their value (SWAR).</summary>
    private static bool TryEightDigits(ulong word, out ulong value)
    {
        word = BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);

        // Every byte is 0x30–0x39: its high nibble is 3, and adding 6 does not carry out of its low nibble.
        if (((word & 0xF0F0F0F0F0F0F0F0UL) | (((word + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) >> 4)) != 0x3333333333333333UL)
        {
            value = 0;
            return false;
        }

        // Pairs, then quads, then all eight; the first digit (the lowest byte) is the most significant.
        word = ((word & 0x0F0F0F0F0F0F0F0FUL) * 2561) >> 8;
        word = ((word & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        value = ((word & 0x0000FFFF0000FFFFUL) * 42949672960001) >> 32;
        return true;
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
