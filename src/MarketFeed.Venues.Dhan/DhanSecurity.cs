using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// What the decoder needs of one security: its registry id, the tick size its float prices are rounded to (with
/// ticks per rupee precomputed, so rounding is one multiplication), and its slot for cached state.
/// </summary>
internal readonly record struct DhanSecurity(InstrumentId Instrument, Price TickSize, int Slot)
{
    /// <summary>
    /// Ticks per rupee (20 for a 0.05 tick); 0 when the tick size is unknown or finer than a millionth (then prices
    /// are rounded to the fixed-point unit instead, which keeps the fast rounding's tick counts below 2^51).
    /// </summary>
    public double TicksPerUnit { get; } = TickSize.HasValue && TickSize.Raw >= MinTickRaw ? FixedPoint.Factor / (double)TickSize.Raw : 0;

    private const long MinTickRaw = FixedPoint.Factor / 1_000_000;
}
