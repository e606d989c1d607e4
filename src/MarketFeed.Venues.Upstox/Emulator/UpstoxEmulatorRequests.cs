using System.Text.Json;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// Applies a client request — <c>{"guid","method":"sub"|"unsub"|"change_mode","data":{"mode","instrumentKeys"}}</c> — to a
/// connection, with Upstox's per-connection key limits per mode (keys past a limit are ignored, as Upstox sends no error).
/// </summary>
internal static class UpstoxEmulatorRequests
{
    public static int LimitOf(string mode) => mode switch
    {
        "ltpc" => 5000,
        "option_greeks" => 3000,
        "full" => 2000,
        "full_d30" => 50,
        _ => 0,
    };

    /// <summary>False when the request could not be read (ignored, as Upstox does).</summary>
    public static bool Apply(UpstoxEmulatorConnection connection, ReadOnlySpan<byte> request)
    {
        try
        {
            var reader = new Utf8JsonReader(request);
            using JsonDocument json = JsonDocument.ParseValue(ref reader);
            string method = json.RootElement.GetProperty("method").GetString() ?? "";
            JsonElement data = json.RootElement.GetProperty("data");
            string mode = data.TryGetProperty("mode", out JsonElement m) ? m.GetString() ?? "" : "";
            string[] keys = [.. data.GetProperty("instrumentKeys").EnumerateArray().Select(k => k.GetString()).OfType<string>()];
            switch (method)
            {
                case "sub" or "change_mode" when LimitOf(mode) > 0:
                    int room = LimitOf(mode) - connection.Count(mode);
                    foreach (string key in keys)
                    {
                        if (connection.Modes.TryGetValue(key, out string? current) && current == mode)
                        {
                            continue;
                        }

                        if (room-- <= 0)
                        {
                            break;
                        }

                        connection.Modes[key] = mode;
                        connection.Fresh.Enqueue(key);
                    }

                    return true;
                case "unsub":
                    foreach (string key in keys)
                    {
                        connection.Modes.TryRemove(key, out _);
                    }

                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
