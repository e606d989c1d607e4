namespace MarketFeed.Chains;

/// <summary>An expiry with no listed strikes for the underlying, naming the expiries that exist.</summary>
public sealed class UnknownExpiryException(string underlying, string expiry, IReadOnlyList<DateOnly> expiries)
    : Exception($"{underlying} has no options expiring {expiry}; expiries listed: {string.Join(", ", expiries.Select(e => e.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}")
{
    public string Underlying { get; } = underlying;

    public IReadOnlyList<DateOnly> Expiries { get; } = expiries;
}
