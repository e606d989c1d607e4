using MarketFeed.Hub;

namespace MarketFeed.Server.Streaming;

/// <summary>Where the fan-out leaves a client's ticks, and the mailbox whose reader (the client's writer) it wakes.</summary>
internal sealed class TickReceiver(HubSubscriber wakes)
{
    public PendingTicks Pending { get; } = new();

    public void Wake() => wakes.Wake();
}
