using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;

namespace MarketFeed.Simulation.Realism;

/// <summary>One instrument's running measurements for the realism report.</summary>
internal sealed class InstrumentMeter(Instrument instrument, SimulatedSpec spec)
{
    private readonly TickAdmission _admission = new(1_000, 3, TimeSpan.FromMinutes(10).Ticks, TimeSpan.FromSeconds(2).Ticks, instrument.TickSize.Raw);
    private readonly Returns _seconds = new();
    private readonly Returns _minutes = new();
    private double _spreadTicks;
    private long _quotes;

    public Instrument Instrument { get; } = instrument;

    public SimulatedSpec Spec { get; } = spec;

    public double Last { get; private set; }

    public double Bid { get; private set; }

    public double Ask { get; private set; }

    public long Ticks { get; private set; }

    public long Outliers { get; private set; }

    public long BelowIntrinsic { get; private set; }

    public void Observe(ref Tick tick, double underlyingLast)
    {
        Ticks++;
        Tick none = default;
        _admission.Admit(ref tick, ref none, hasLatest: false);
        if ((tick.Flags & TickFlags.Outlier) != 0)
        {
            Outliers++;
        }

        Last = tick.Ltp.ToDouble();
        if (tick.Bid.HasValue && tick.Ask.HasValue)
        {
            Bid = tick.Bid.ToDouble();
            Ask = tick.Ask.ToDouble();
            _spreadTicks += (tick.Ask - tick.Bid).ToDouble() / Instrument.TickSize.ToDouble();
            _quotes++;
        }

        if (Instrument.IsOption && underlyingLast > 0)
        {
            double intrinsic = OptionPricer.Intrinsic(Instrument.Kind == InstrumentKind.Call, underlyingLast, Instrument.Strike.ToDouble());
            if (Last < intrinsic || (tick.Bid.HasValue && Bid < intrinsic))
            {
                BelowIntrinsic++;
            }
        }
    }

    public void SampleSecond(bool minute)
    {
        _seconds.Add(Last);
        if (minute)
        {
            _minutes.Add(Last);
        }
    }

    public RealismRow Row(double seconds, string reference, string spreadReference)
    {
        double year = TradingClock.SecondsPerYear(Instrument.Calendar);
        return new RealismRow(
            Instrument.Symbol, Instrument.Kind.ToString().ToLowerInvariant(),
            _seconds.StandardDeviation * Math.Sqrt(year), _minutes.StandardDeviation * Math.Sqrt(year / 60),
            _quotes == 0 ? double.NaN : _spreadTicks / _quotes, Ticks / seconds, Ticks == 0 ? 0 : (double)Outliers / Ticks, reference, spreadReference);
    }

    /// <summary>Log returns between successive samples.</summary>
    private sealed class Returns
    {
        private double _previous;
        private double _sum;
        private double _sumSquares;
        private long _count;

        public double StandardDeviation =>
            _count < 2 ? 0 : Math.Sqrt(Math.Max(0, (_sumSquares - (_sum * _sum / _count)) / (_count - 1)));

        public void Add(double price)
        {
            if (_previous > 0 && price > 0)
            {
                double r = Math.Log(price / _previous);
                _sum += r;
                _sumSquares += r * r;
                _count++;
            }

            _previous = price;
        }
    }
}
