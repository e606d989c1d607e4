namespace MarketFeed.Server.Api;

/// <summary>Body of <c>POST /api/subscriptions</c>: <c>{"symbols":["NSE:INFY"],"mode":"quote"}</c>.</summary>
public sealed record SubscriptionRequest(string[]? Symbols, string? Mode);
