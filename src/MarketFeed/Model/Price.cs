namespace MarketFeed.Model;

/// <summary>
/// An exact price: a fixed-point value with 8 decimals (see <see cref="FixedPoint"/>). <see cref="None"/> marks a
/// field the venue did not send; it is never shown as 0.
/// </summary>
public readonly struct Price : IEquatable<Price>, IComparable<Price>, ISpanFormattable
{
    public static readonly Price None = new(FixedPoint.Absent);
    public static readonly Price Zero = new(0);

    private Price(long raw) => Raw = raw;

    /// <summary>The value times 10^8.</summary>
    public long Raw { get; }

    public bool HasValue => Raw != FixedPoint.Absent;

    public static Price FromRaw(long raw) => new(raw);

    /// <summary>From a venue integer with implied decimals, e.g. Kite paise: <c>FromScaled(293450, 2)</c> is 2934.50.</summary>
    public static Price FromScaled(long value, int decimals) => new(value * FixedPoint.ScaleUp(decimals));

    public static Price FromDecimal(decimal value) => new(FixedPoint.FromDecimal(value));

    /// <summary>For venues that send binary floats: converted once and rounded to the instrument's tick.</summary>
    public static Price FromDouble(double value, Price tickSize) => new Price(FixedPoint.FromDouble(value)).RoundToTick(tickSize);

    public static Price Parse(string text) =>
        TryParse(text, out Price price) ? price : throw new FormatException($"'{text}' is not a price.");

    public static bool TryParse(ReadOnlySpan<char> text, out Price price)
    {
        bool ok = FixedPoint.TryParse(text, out long raw);
        price = ok ? new Price(raw) : None;
        return ok;
    }

    /// <summary>From UTF-8 text such as a JSON string's bytes, exactly and without allocating (see <see cref="FixedPoint.TryParseUtf8"/>).</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out Price price)
    {
        bool ok = FixedPoint.TryParseUtf8(utf8, out long raw, allowSign: true);
        price = ok ? new Price(raw) : None;
        return ok;
    }

    public decimal ToDecimal() => FixedPoint.ToDecimal(Raw);

    /// <summary>For display and analytics only (charts, percent change); never stored back on the data path.</summary>
    public double ToDouble() => FixedPoint.ToDouble(Raw);

    /// <summary>Nearest multiple of <paramref name="tickSize"/> (half away from zero); unchanged when no tick size is known.</summary>
    public Price RoundToTick(Price tickSize)
    {
        if (!HasValue || !tickSize.HasValue || tickSize.Raw <= 0)
        {
            return this;
        }

        long tick = tickSize.Raw;
        long remainder = Raw % tick;
        long down = Raw - remainder;
        if (Math.Abs(remainder) * 2 >= tick)
        {
            down += Raw >= 0 ? tick : -tick;
        }

        return new Price(down);
    }

    public static Price operator +(Price a, Price b) => new(a.Raw + b.Raw);

    public static Price operator -(Price a, Price b) => new(a.Raw - b.Raw);

    public static Price operator *(Price a, long factor) => new(a.Raw * factor);

    public static bool operator ==(Price a, Price b) => a.Raw == b.Raw;

    public static bool operator !=(Price a, Price b) => a.Raw != b.Raw;

    public static bool operator <(Price a, Price b) => a.Raw < b.Raw;

    public static bool operator >(Price a, Price b) => a.Raw > b.Raw;

    public static bool operator <=(Price a, Price b) => a.Raw <= b.Raw;

    public static bool operator >=(Price a, Price b) => a.Raw >= b.Raw;

    public static Price Max(Price a, Price b) => a.Raw >= b.Raw ? a : b;

    public static Price Min(Price a, Price b) => a.Raw <= b.Raw ? a : b;

    public bool Equals(Price other) => Raw == other.Raw;

    public override bool Equals(object? obj) => obj is Price other && Equals(other);

    public override int GetHashCode() => Raw.GetHashCode();

    public int CompareTo(Price other) => Raw.CompareTo(other.Raw);

    public override string ToString() => FixedPoint.ToString(Raw);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (!HasValue)
        {
            charsWritten = 0;
            return true;
        }

        return FixedPoint.TryFormat(Raw, destination, out charsWritten);
    }
}
