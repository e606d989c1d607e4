using System.Text.Json;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// A message from a streaming client: <c>{"op":"subscribe"|"unsubscribe"|"ping","symbols":[…],"channels":[…]}</c>;
/// a subscribe may add <c>"batch":true|false</c> (several messages per WebSocket frame from its ack on).
/// </summary>
internal sealed record ClientRequest(string Op, IReadOnlyList<string> Symbols, IReadOnlyList<string> Channels, bool? Batch = null)
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ClientRequest? request, out string? error)
    {
        request = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out JsonElement op) || op.ValueKind != JsonValueKind.String)
            {
                error = "a message is a JSON object with \"op\": subscribe, unsubscribe or ping";
                return false;
            }

            if (!TryStrings(root, "symbols", out List<string> symbols, out error) || !TryStrings(root, "channels", out List<string> channels, out error))
            {
                return false;
            }

            bool? batch = null;
            if (root.TryGetProperty("batch", out JsonElement flag))
            {
                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = "\"batch\" must be true or false";
                    return false;
                }

                batch = flag.GetBoolean();
            }

            request = new ClientRequest(op.GetString()!, symbols, channels, batch);
            return true;
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }
    }

    private static bool TryStrings(JsonElement root, string name, out List<string> values, out string? error)
    {
        values = [];
        error = null;
        if (!root.TryGetProperty(name, out JsonElement array))
        {
            return true;
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            error = $"\"{name}\" must be an array of strings";
            return false;
        }

        values.AddRange(array.EnumerateArray().Select(e => e.GetString()!));
        return true;
    }
}
