namespace MarketFeed.Server.Security;

/// <summary>The gateway cannot start as configured; the message says what to change.</summary>
public sealed class GatewayConfigurationException(string message) : Exception(message);
