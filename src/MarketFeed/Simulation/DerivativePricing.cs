using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// Fair values of the simulated futures and options from the underlying's price at the same instant (the one its
/// own ticks publish): futures at cost of carry, options by Black-76 with a smile, never below intrinsic value plus
/// room for half the spread, so neither the trade nor the bid is ever below intrinsic.
/// </summary>
internal static class DerivativePricing
{
    public const double RiskFreeRate = 0.065;

    public static double YearsToExpiry(Instrument instrument, DateTime utc)
    {
        DateOnly expiry = instrument.Expiry ?? DateOnly.FromDateTime(utc);
        DateTime expiryUtc = SessionCalendar.IndianEquity.SessionOf(expiry).CloseUtc;
        return Math.Max(0, (expiryUtc - utc).TotalDays) / 365.0;
    }

    /// <summary>The derivative's fair value for an underlying at <paramref name="spot"/> at <paramref name="utc"/>.</summary>
    public static double Fair(SimulatedInstrument s, double spot, DateTime utc)
    {
        Instrument instrument = s.Instrument;
        if (s.ExpiryCloseUtc == default)
        {
            s.ExpiryCloseUtc = SessionCalendar.IndianEquity.SessionOf(instrument.Expiry ?? DateOnly.FromDateTime(utc)).CloseUtc;
        }

        double years = Math.Max(0, (s.ExpiryCloseUtc - utc).TotalDays) / 365.0;
        if (s.Spec.Model == SimulatedModel.Future)
        {
            return spot * Math.Exp(RiskFreeRate * years);
        }

        bool isCall = instrument.Kind == InstrumentKind.Call;
        double strike = instrument.Strike.ToDouble();
        double forward = spot * Math.Exp(RiskFreeRate * Math.Max(years, 1.0 / (365 * 24)));
        double volatility = OptionPricer.Smile(s.Spec.ImpliedVolatility, forward, strike, years);
        double premium = OptionPricer.Price(isCall, spot, strike, years, RiskFreeRate, volatility);
        // Room below the fair value for half the widest spread quoted around it (the usual one plus one) and a tick of rounding.
        double tick = instrument.TickSize.ToDouble();
        double intrinsic = OptionPricer.Intrinsic(isCall, spot, strike);
        double fair = Math.Max(premium, intrinsic + tick);
        for (int pass = 0; pass < 2; pass++)
        {
            fair = Math.Max(premium, intrinsic + ((((SpreadTicks(s, fair) + 1) / 2.0) + 1) * tick));
        }

        return fair;
    }

    /// <summary>
    /// The usual spread in ticks: the spec's for futures and equities; for an option about 0.04 % of its price (one
    /// or two ticks at the money, wider deep in the money), as on the NSE chain.
    /// </summary>
    public static int SpreadTicks(SimulatedInstrument s, double price)
    {
        if (!s.Instrument.IsOption)
        {
            return s.Spec.SpreadTicks;
        }

        return (int)Math.Clamp(Math.Round(price * 0.0004 / s.Instrument.TickSize.ToDouble()), 1, 40);
    }

    public static Price Round(double value, Price tickSize) => Price.Max(Price.FromDouble(value, tickSize), tickSize);
}
