using System.Text.Json;

namespace MarketFeed.Venues.Dhan;

/// <summary>Dhan's error body: <c>{"errorType":…,"errorCode":"DH-904","errorMessage":…}</c>, or a data API code such as 805.</summary>
internal readonly record struct DhanRestError(string? Code, string? Message)
{
    public bool IsRateLimit => Code is "DH-904" or "805";

    public bool IsAuth => Code is "DH-901" or "807" or "808" or "809" or "810";

    public static DhanRestError Read(string body)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(body);
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            string? code = root.TryGetProperty("errorCode", out JsonElement c) ? c.ValueKind == JsonValueKind.Number ? c.GetRawText() : c.GetString() : null;
            string? message = root.TryGetProperty("errorMessage", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new DhanRestError(code, message);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return default;
        }
    }

    public string Describe() => Code is null ? "no error code" : $"{Code} {Message}".Trim();
}
