namespace MarketFeed.Simulation;

/// <summary>One simulated minute: prices unrounded, volume in the instrument's quantity units.</summary>
internal readonly record struct MinuteBar(double Open, double High, double Low, double Close, long Volume)
{
    public static MinuteBar Flat(double price) => new(price, price, price, price, 0);

    /// <summary>This minute followed by <paramref name="next"/>: first open, extremes, last close, summed volume.</summary>
    public MinuteBar Then(MinuteBar next) =>
        new(Open, Math.Max(High, next.High), Math.Min(Low, next.Low), next.Close, Volume + next.Volume);
}
