namespace MarketFeed.Feeds;

/// <summary>A feed cannot run as configured; the message names the setting to fix (never its secret value).</summary>
public sealed class FeedConfigurationException(string message) : Exception(message);
