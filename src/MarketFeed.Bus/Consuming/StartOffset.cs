using System.Globalization;
using MarketFeed.Feeds;

namespace MarketFeed.Bus.Consuming;

/// <summary>Where a stream consumer attaches: the value of <c>x-stream-offset</c> (a word, an offset, or an age such as <c>10m</c>).</summary>
public static class StartOffset
{
    /// <exception cref="FeedConfigurationException">Not first, last, next, a number or an age.</exception>
    public static object Parse(string text)
    {
        string value = text.Trim();
        if (value is "first" or "last" or "next")
        {
            return value;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
        {
            return offset;
        }

        if (value.Length >= 2 && "YMDhms".Contains(value[^1], StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount) && amount > 0)
        {
            return value;
        }

        throw new FeedConfigurationException($"Bus:StartFrom is first, last, next, a stream offset or an age like 10m or 2h, not '{text}'");
    }
}
