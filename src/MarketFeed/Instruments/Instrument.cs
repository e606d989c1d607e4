using MarketFeed.Model;

namespace MarketFeed.Instruments;

/// <summary>
/// One tradable or observable instrument. <see cref="Symbol"/> is the canonical <c>EXCHANGE:TRADINGSYMBOL</c>;
/// <see cref="Feed"/> and <see cref="NativeKey"/> are how its venue names it (a Kite token, a Dhan security id).
/// The registry assigns <see cref="Id"/>.
/// </summary>
public sealed record Instrument
{
    public InstrumentId Id { get; init; }

    public required string Exchange { get; init; }

    public required string TradingSymbol { get; init; }

    /// <summary>Human name or underlying name ("RELIANCE INDUSTRIES", "NIFTY").</summary>
    public string Name { get; init; } = "";

    public required InstrumentKind Kind { get; init; }

    /// <summary>Canonical symbol of the underlying for derivatives ("NSE:NIFTY 50").</summary>
    public string? Underlying { get; init; }

    public DateOnly? Expiry { get; init; }

    public Price Strike { get; init; } = Price.None;

    public required Price TickSize { get; init; }

    public int LotSize { get; init; } = 1;

    /// <summary>
    /// The smallest quantity increment where the venue trades fractions (Binance's <c>LOT_SIZE</c> <c>stepSize</c>,
    /// e.g. 0.00001 BTC); <see cref="Quantity.None"/> where quantities are whole multiples of <see cref="LotSize"/>.
    /// </summary>
    public Quantity QuantityStep { get; init; } = Quantity.None;

    public required SessionCalendar Calendar { get; init; }

    public required string Feed { get; init; }

    public required string NativeKey { get; init; }

    public string Symbol => Exchange + ":" + TradingSymbol;

    /// <summary>Indices are observed, not traded: they carry no bid/ask, depth or volume.</summary>
    public bool IsTradable => Kind != InstrumentKind.Index;

    public bool IsOption => Kind is InstrumentKind.Call or InstrumentKind.Put;

    public override string ToString() => Symbol;
}
