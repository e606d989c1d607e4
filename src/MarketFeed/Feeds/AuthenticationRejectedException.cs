namespace MarketFeed.Feeds;

/// <summary>The venue refused the credentials (HTTP 401/403 on connect).</summary>
public sealed class AuthenticationRejectedException(string message, Exception? inner = null) : Exception(message, inner);
