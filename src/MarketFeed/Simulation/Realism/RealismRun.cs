using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation.Realism;

/// <summary>
/// Runs the simulator in virtual time on session hours — every instrument of the default universe ticking at the
/// configured rate through a trading day — and measures what a trader would: volatility of the last price over 1 s
/// and 1 m returns (annualized over the calendar's trading seconds), spreads, tick rates, the share of ticks the hub's
/// admission (default band) flags as outliers, option quotes below intrinsic and put–call parity on the chains.
/// </summary>
public static class RealismRun
{
    public static RealismReport Run(RealismOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Minutes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TicksPerInstrumentPerSecond, 1);
        var registry = new InstrumentRegistry();
        List<(SimulatedSpec Spec, Instrument Instrument)> universe =
            [.. SimulatorUniverse.Build("sim", options.Date, aroundTheClock: false, options.StrikesEachSide, options.Seed).Select(s => (s, registry.Register(s.Definition)))];
        var market = new SimulatorMarket(universe, options.Seed);
        var meters = universe.Select(u => new InstrumentMeter(u.Instrument, u.Spec)).ToArray();
        Dictionary<string, InstrumentMeter> bySymbol = meters.ToDictionary(m => m.Instrument.Symbol, StringComparer.Ordinal);
        var parity = new ParityMeter(meters, bySymbol);

        DateTime open = SessionCalendar.IndianEquity.SessionOf(options.Date).OpenUtc;
        long steps = (long)(options.Minutes * 60 * options.TicksPerInstrumentPerSecond);
        double stepSeconds = 1 / options.TicksPerInstrumentPerSecond;
        long nextSecond = 1;
        for (long step = 0; step < steps; step++)
        {
            DateTime stepTime = open.AddSeconds(step * stepSeconds);
            for (int i = 0; i < meters.Length; i++)
            {
                // Instruments tick spread across the step, as a venue's frames would arrive.
                DateTime now = stepTime.AddTicks(i * (long)(stepSeconds * TimeSpan.TicksPerSecond) / meters.Length);
                InstrumentMeter meter = meters[i];
                Tick tick = market.Next(meter.Instrument.Id, now, FeedMode.Full);
                meter.Observe(ref tick, meter.Spec.UnderlyingSymbol is { } u ? bySymbol[u].Last : 0);
            }

            double elapsed = (step + 1) * stepSeconds;
            while (nextSecond <= elapsed)
            {
                foreach (InstrumentMeter meter in meters)
                {
                    meter.SampleSecond(nextSecond % 60 == 0);
                }

                parity.Sample(open.AddSeconds(nextSecond));
                nextSecond++;
            }
        }

        double seconds = options.Minutes * 60.0;
        var rows = new List<RealismRow>();
        foreach (InstrumentMeter meter in meters.Where(m => Shown(m, meters)))
        {
            rows.Add(meter.Row(seconds, Reference(meter, bySymbol, open), SpreadReference(meter.Instrument)));
        }

        IEnumerable<InstrumentMeter> optionMeters = meters.Where(m => m.Instrument.IsOption);
        return new RealismReport(
            options, rows, meters.Sum(m => m.Ticks), meters.Sum(m => m.Outliers), optionMeters.Sum(m => m.Ticks), optionMeters.Sum(m => m.Outliers),
            optionMeters.Sum(m => m.BelowIntrinsic), parity.MeanAbsPoints, parity.MaxAbsPoints, parity.MeanAbsBasisPoints, parity.Samples);
    }

    /// <summary>Every non-option, and per chain and expiry the at-the-money strike and five strikes either side.</summary>
    private static bool Shown(InstrumentMeter m, InstrumentMeter[] all)
    {
        if (!m.Instrument.IsOption)
        {
            return true;
        }

        decimal[] strikes = [.. all.Where(o => o.Instrument.IsOption && o.Instrument.Name == m.Instrument.Name && o.Instrument.Expiry == m.Instrument.Expiry)
            .Select(o => o.Instrument.Strike.ToDecimal()).Distinct().Order()];
        int index = Array.IndexOf(strikes, m.Instrument.Strike.ToDecimal());
        int atm = strikes.Length / 2;
        return (index == atm || index == atm + 5 || index == atm - 5);
    }

    /// <summary>Typical touch spreads of the real instruments, in ticks.</summary>
    private static string SpreadReference(Instrument i) => i.Kind switch
    {
        InstrumentKind.Index => "–",
        InstrumentKind.Equity or InstrumentKind.Future => "1–2",
        InstrumentKind.Spot => "1–2",
        _ => "1–3 near the money, more deep in it",
    };

    /// <summary>The real-market volatility aimed for: the asset class's range, or for a derivative what its elasticity to the index implies.</summary>
    private static string Reference(InstrumentMeter m, Dictionary<string, InstrumentMeter> bySymbol, DateTime open)
    {
        Instrument i = m.Instrument;
        switch (i.Kind)
        {
            case InstrumentKind.Index:
                return "12–18 % (NIFTY), 14–22 % (BANK)";
            case InstrumentKind.Equity:
                return "20–30 %";
            case InstrumentKind.Spot:
                return i.TradingSymbol.StartsWith("BTC", StringComparison.Ordinal) ? "40–70 %" : "50–90 %";
            case InstrumentKind.Future:
                return "as its index";
            default:
                SimulatedSpec underlying = bySymbol[m.Spec.UnderlyingSymbol!].Spec;
                double spot = (double)underlying.BasePrice;
                var probe = new SimulatedInstrument(m.Spec, i, 0, books: false);
                double up = DerivativePricing.Fair(probe, spot * 1.001, open);
                double down = DerivativePricing.Fair(probe, spot * 0.999, open);
                double mid = DerivativePricing.Fair(probe, spot, open);
                double elasticity = Math.Abs(up - down) / 0.002 / mid;
                return FormattableString.Invariant($"≈ {elasticity * underlying.AnnualVolatility:P0} (elasticity {elasticity:0.0} × index σ)");
        }
    }
}
