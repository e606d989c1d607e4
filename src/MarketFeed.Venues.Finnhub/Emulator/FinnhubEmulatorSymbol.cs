using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// One symbol's running state in the emulator: when its next print is due, its last print, the UTC day's open, high
/// and low, the previous day's close (what <c>/quote</c> answers), and one-minute bars of its prints (what the candle
/// endpoints answer).
/// </summary>
internal sealed class FinnhubEmulatorSymbol(FinnhubSymbolSpec spec, InstrumentId instrument, int seed)
{
    private static readonly string[][] s_conditions = [["1", "12"], ["1", "8", "24", "12"], [], ["1"]];
    private readonly DeterministicRandom _random = new(DeterministicRandom.SeedFor(seed, "finnhub-trades:" + spec.Symbol));

    public FinnhubSymbolSpec Spec { get; } = spec;

    public InstrumentId Instrument { get; } = instrument;

    public DateTime NextDue { get; set; }

    public long Last { get; private set; } = Price.FromDecimal(spec.Price).Raw;

    public long LastTimeMs { get; private set; }

    public long Open { get; private set; }

    public long High { get; private set; }

    public long Low { get; private set; }

    public long PreviousClose { get; private set; } = Price.FromDecimal(spec.Price).Raw;

    /// <summary>Closed and forming one-minute bars by their start (Unix minutes): open, high, low, close, volume (raw).</summary>
    public SortedDictionary<long, (long Open, long High, long Low, long Close, long Volume)> Bars { get; } = [];

    public double NextGap(double perSecond) => -Math.Log(1 - _random.NextDouble()) / perSecond;

    /// <summary>A print at <paramref name="price"/>: its size (skewed small; 0 for forex), conditions, and the day's figures and bars updated.</summary>
    public FinnhubTrade Print(long price, DateTime time)
    {
        long volume = 0;
        if (Spec.Kind != FinnhubSymbolKind.Forex)
        {
            double u = _random.NextDouble();
            long units = Spec.MinTradeUnits + (long)((Spec.MaxTradeUnits - Spec.MinTradeUnits) * u * u * u);
            volume = Quantity.FromScaled(Math.Max(1, units), Spec.QuantityDecimals).Raw;
        }

        long ms = (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        if (LastTimeMs != 0 && ms / 86_400_000 != LastTimeMs / 86_400_000)
        {
            (PreviousClose, Open) = (Last, 0);
        }

        if (Open == 0)
        {
            (Open, High, Low) = (price, price, price);
        }

        (Last, LastTimeMs, High, Low) = (price, ms, Math.Max(High, price), Math.Min(Low, price));
        long minute = ms / 60_000;
        Bars[minute] = Bars.TryGetValue(minute, out var bar)
            ? (bar.Open, Math.Max(bar.High, price), Math.Min(bar.Low, price), price, bar.Volume + volume)
            : (price, price, price, price, volume);
        if (Bars.Count > 7 * 24 * 60)
        {
            Bars.Remove(Bars.Keys.First());
        }

        string[]? conditions = Spec.Kind == FinnhubSymbolKind.Stock ? s_conditions[_random.NextLong(0, s_conditions.Length - 1)] : null;
        return new FinnhubTrade(Spec.Symbol, price, volume, ms, conditions);
    }
}
