using MarketFeed.Feeds;

namespace MarketFeed.Venues.Dhan;

internal static class DhanUrls
{
    /// <summary>A ws:// or wss:// URL from a setting, with <paramref name="query"/> as its query; throws naming the setting otherwise.</summary>
    public static Uri Socket(string url, string setting, string query)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? stream) || (stream.Scheme != "ws" && stream.Scheme != "wss"))
        {
            throw new FeedConfigurationException($"{setting} '{url}' is not a ws:// or wss:// URL");
        }

        return new UriBuilder(stream) { Query = query }.Uri;
    }
}
