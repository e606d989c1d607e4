using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation.Realism;

/// <summary>Put–call parity on every strike of every chain, each second: C − P − (S − K·e^(−rT)) on mid quotes against the index's last tick.</summary>
internal sealed class ParityMeter
{
    private readonly List<(InstrumentMeter Call, InstrumentMeter Put, InstrumentMeter Index)> _pairs = [];
    private double _sumAbs;
    private double _sumAbsRelative;

    public ParityMeter(IEnumerable<InstrumentMeter> meters, Dictionary<string, InstrumentMeter> bySymbol)
    {
        var puts = meters.Where(m => m.Instrument.Kind == InstrumentKind.Put)
            .ToDictionary(m => (m.Instrument.Name, m.Instrument.Expiry, m.Instrument.Strike));
        foreach (InstrumentMeter call in meters.Where(m => m.Instrument.Kind == InstrumentKind.Call))
        {
            if (puts.TryGetValue((call.Instrument.Name, call.Instrument.Expiry, call.Instrument.Strike), out InstrumentMeter? put) && put is not null)
            {
                _pairs.Add((call, put, bySymbol[call.Spec.UnderlyingSymbol!]));
            }
        }
    }

    public int Samples { get; private set; }

    public double MaxAbsPoints { get; private set; }

    public double MeanAbsPoints => Samples == 0 ? 0 : _sumAbs / Samples;

    public double MeanAbsBasisPoints => Samples == 0 ? 0 : _sumAbsRelative / Samples * 10_000;

    public void Sample(DateTime utc)
    {
        foreach ((InstrumentMeter call, InstrumentMeter put, InstrumentMeter index) in _pairs)
        {
            if (call.Ask <= 0 || put.Ask <= 0 || index.Last <= 0)
            {
                continue;
            }

            double years = DerivativePricing.YearsToExpiry(call.Instrument, utc);
            double strike = call.Instrument.Strike.ToDouble();
            double residual = ((call.Bid + call.Ask) / 2) - ((put.Bid + put.Ask) / 2) - (index.Last - (strike * Math.Exp(-DerivativePricing.RiskFreeRate * years)));
            _sumAbs += Math.Abs(residual);
            _sumAbsRelative += Math.Abs(residual) / index.Last;
            MaxAbsPoints = Math.Max(MaxAbsPoints, Math.Abs(residual));
            Samples++;
        }
    }
}
