using System.Text.Json;

namespace MarketFeed.LoadTest.Soak;

/// <summary>The part of <c>/api/status</c> the soak follows: the Kite feed's state and counters, and the hub's quality counters.</summary>
internal sealed record GatewayStatus(string FeedState, int Connections, long Reconnects, string? LastError, IReadOnlyDictionary<string, long> Quality)
{
    /// <summary>What a check records when the gateway did not answer.</summary>
    public static GatewayStatus Unreachable { get; } = new("unreachable", 0, 0, null, new Dictionary<string, long>());

    public long QualityCounter(string name) => Quality.GetValueOrDefault(name);

    public static GatewayStatus Parse(JsonElement status)
    {
        JsonElement feed = status.GetProperty("feeds").EnumerateArray().First();
        var quality = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (JsonProperty counter in status.GetProperty("quality").EnumerateObject())
        {
            if (counter.Value.ValueKind == JsonValueKind.Number)
            {
                quality[counter.Name] = counter.Value.GetInt64();
            }
        }

        return new GatewayStatus(
            feed.GetProperty("state").GetString() ?? "?",
            feed.GetProperty("connections").GetInt32(),
            feed.GetProperty("reconnects").GetInt64(),
            feed.TryGetProperty("lastError", out JsonElement error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null,
            quality);
    }
}
