namespace MarketFeed.Model;

/// <summary>
/// The small dense number the instrument registry assigns to one (venue, native key). Every event and store is
/// keyed by it; symbols exist only at the edges. 0 is never assigned, so <c>default</c> means "no instrument".
/// </summary>
public readonly record struct InstrumentId(int Value)
{
    public static readonly InstrumentId None = default;

    public bool IsNone => Value == 0;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
