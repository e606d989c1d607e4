namespace MarketFeed.Model;

/// <summary>
/// An exact quantity (shares, lots, coins, volume): fixed-point with 8 decimals like <see cref="Price"/>, so
/// fractional crypto sizes and whole-share Indian volumes share one type. <see cref="None"/> marks an absent field.
/// </summary>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>, ISpanFormattable
{
    public static readonly Quantity None = new(FixedPoint.Absent);
    public static readonly Quantity Zero = new(0);

    private Quantity(long raw) => Raw = raw;

    public long Raw { get; }

    public bool HasValue => Raw != FixedPoint.Absent;

    public static Quantity FromRaw(long raw) => new(raw);

    public static Quantity FromUnits(long units) => new(units * FixedPoint.Factor);

    public static Quantity FromScaled(long value, int decimals) => new(value * FixedPoint.ScaleUp(decimals));

    public static Quantity FromDecimal(decimal value) => new(FixedPoint.FromDecimal(value));

    public static bool TryParse(ReadOnlySpan<char> text, out Quantity quantity)
    {
        bool ok = FixedPoint.TryParse(text, out long raw);
        quantity = ok ? new Quantity(raw) : None;
        return ok;
    }

    /// <summary>From UTF-8 text such as a JSON string's bytes, exactly and without allocating (see <see cref="FixedPoint.TryParseUtf8"/>).</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out Quantity quantity)
    {
        bool ok = FixedPoint.TryParseUtf8(utf8, out long raw, allowSign: true);
        quantity = ok ? new Quantity(raw) : None;
        return ok;
    }

    public decimal ToDecimal() => FixedPoint.ToDecimal(Raw);

    public double ToDouble() => FixedPoint.ToDouble(Raw);

    public static Quantity operator +(Quantity a, Quantity b) => new(a.Raw + b.Raw);

    public static Quantity operator -(Quantity a, Quantity b) => new(a.Raw - b.Raw);

    public static bool operator ==(Quantity a, Quantity b) => a.Raw == b.Raw;

    public static bool operator !=(Quantity a, Quantity b) => a.Raw != b.Raw;

    public static bool operator <(Quantity a, Quantity b) => a.Raw < b.Raw;

    public static bool operator >(Quantity a, Quantity b) => a.Raw > b.Raw;

    public static bool operator <=(Quantity a, Quantity b) => a.Raw <= b.Raw;

    public static bool operator >=(Quantity a, Quantity b) => a.Raw >= b.Raw;

    public bool Equals(Quantity other) => Raw == other.Raw;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode() => Raw.GetHashCode();

    public int CompareTo(Quantity other) => Raw.CompareTo(other.Raw);

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
