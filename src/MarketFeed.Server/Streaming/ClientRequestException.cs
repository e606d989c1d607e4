namespace MarketFeed.Server.Streaming;

/// <summary>A client asked for something it cannot have; the message goes back to it as an error, the connection stays.</summary>
internal sealed class ClientRequestException(string message) : Exception(message);
