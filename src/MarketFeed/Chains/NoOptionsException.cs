namespace MarketFeed.Chains;

/// <summary>An underlying with no options listed (or not known at all), naming the underlyings that have some.</summary>
public sealed class NoOptionsException(string underlying, IReadOnlyList<string> withOptions)
    : Exception($"{underlying} has no options listed" + (withOptions.Count > 0 ? "; underlyings with options: " + string.Join(", ", withOptions) : " on any loaded feed"))
{
    public string Underlying { get; } = underlying;

    /// <summary>Option roots that do have chains ("NIFTY", "BANKNIFTY").</summary>
    public IReadOnlyList<string> WithOptions { get; } = withOptions;
}
