using MarketFeed.Model;

namespace MarketFeed.Server.Streaming;

/// <summary>A tick waiting for one client: what its writer's filters and latency need, and the JSON encoded once for everyone.</summary>
internal readonly record struct PendingTick(InstrumentId Instrument, long Seq, DateTime ReceiveTime, ReadOnlyMemory<byte> Json);
