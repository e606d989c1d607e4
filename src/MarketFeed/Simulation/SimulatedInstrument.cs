using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>The running state of one simulated instrument: price, day statistics, cumulative volume, open interest, book.</summary>
internal sealed class SimulatedInstrument
{
    public SimulatedInstrument(SimulatedSpec spec, Instrument instrument, int seed, bool books = true)
    {
        Spec = spec;
        Instrument = instrument;
        Random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, instrument.Symbol));
        Last = Price.FromDecimal(spec.BasePrice).RoundToTick(instrument.TickSize);
        PreviousClose = Price.FromDouble(spec.BasePrice == 0 ? 0 : (double)spec.BasePrice * (1 + (Random.NextGaussian() * 0.008)), instrument.TickSize);
        OpenInterest = spec.BaseOpenInterest;
        if (books && spec.BookLevels > 0)
        {
            // A stream of its own, so the book never changes the price path.
            Book = new SimulatedBook(
                instrument.TickSize, spec.BasePrice, spec.BookLevels, spec.QuantityDecimals, spec.MaxTradeUnits,
                DeterministicRandom.SeedFor(seed, instrument.Symbol + "#book"));
        }
    }

    public SimulatedSpec Spec { get; }

    public Instrument Instrument { get; }

    public DeterministicRandom Random { get; }

    public SimulatedInstrument? Underlying { get; set; }

    /// <summary>The instrument's L2 book (crypto), stepped with every tick; null when it has none.</summary>
    public SimulatedBook? Book { get; }

    public Price Last { get; set; }

    public Price PreviousClose { get; set; }

    public Price DayOpen { get; set; } = Price.None;

    public Price DayHigh { get; set; } = Price.None;

    public Price DayLow { get; set; } = Price.None;

    public long CumulativeVolumeUnits { get; set; }

    public double TurnoverForAverage { get; set; }

    public long OpenInterest { get; set; }

    public long TradeNumber { get; set; }

    public DateOnly TradingDay { get; set; }

    /// <summary>Until this instant <see cref="TradingDay"/> cannot change (the current or next session's close).</summary>
    public DateTime TradingDayKnownUntil { get; set; }

    /// <summary>Cached session state so the hot loop rarely converts time zones: open until / closed until.</summary>
    public DateTime SessionKnownUntil { get; set; }

    public bool SessionOpen { get; set; }
}
