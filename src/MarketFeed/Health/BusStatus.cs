namespace MarketFeed.Health;

/// <summary>
/// The message bus as one process sees it (<c>/api/status</c> <c>bus</c>): its role, the broker connection
/// (<see cref="State"/> connected, connecting or error, with <see cref="Error"/>), and what it publishes or consumes.
/// </summary>
public sealed record BusStatus(
    string Role,
    string State,
    string Url,
    string GatewayId,
    string? Error,
    BusPublishStatus? Publish,
    BusConsumeStatus? Consume);
