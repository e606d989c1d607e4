namespace MarketFeed.Model;

/// <summary>
/// An option's sensitivities as the venue computed them (a venue that sends none leaves <see cref="Tick.Greeks"/> null).
/// <see cref="Iv"/> is implied volatility in the venue's unit (Upstox: percent, e.g. 14.2).
/// </summary>
public readonly record struct OptionGreeks(double Delta, double Gamma, double Theta, double Vega, double Iv);
