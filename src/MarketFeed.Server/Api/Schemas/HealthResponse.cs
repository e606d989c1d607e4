namespace MarketFeed.Server.Api.Schemas;

/// <summary>The body of <c>/healthz</c> (<c>ok</c>) and of a ready <c>/readyz</c> (<c>ready</c>).</summary>
internal sealed class HealthResponse
{
    public required string Status { get; init; }
}
