namespace MarketFeed.Health;

/// <summary>One producer as a consumer hears it: <see cref="State"/> live, silent (nothing for the producer timeout) or stopped (it said so).</summary>
public sealed record BusProducerStatus(string GatewayId, uint Epoch, string State, long AgeMs, int Instruments);
