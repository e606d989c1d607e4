using System.Text.Json;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// What the emulator does with a client's JSON request (): subscribe and unsubscribe per mode on the main feed,
/// 23/24/25 on the depth feed, 12 to disconnect. Dhan's limits are enforced the way Dhan does, with a disconnect
/// reason: 804 for more than 100 instruments in a message or 5,000 (depth: 50) on a connection, 814 for a request
/// that cannot be read. Unknown securities are ignored.
/// </summary>
internal static class DhanControlMessages
{
    /// <summary>
    /// Applies one request; returns the disconnect reason it calls for (0: none). Subscriptions are returned in
    /// <paramref name="subscribed"/> with their mode, not yet applied: the caller sends their previous closes first.
    /// </summary>
    public static int Apply(DhanEmulatorConnection connection, string text, DhanEmulatorMarket market, out List<DhanEmulatorSecurity> subscribed, out FeedMode subscribedMode)
    {
        subscribed = [];
        subscribedMode = FeedMode.Full;
        try
        {
            using JsonDocument json = JsonDocument.Parse(text);
            JsonElement root = json.RootElement;
            int code = root.GetProperty("RequestCode").GetInt32();
            if (code == DhanRequestCode.Disconnect)
            {
                connection.Subscribed.Clear();
                return 0;
            }

            List<DhanEmulatorSecurity> list = Instruments(root, market, out int count);
            if (count > DhanEmulator.MaxPerMessage && !connection.Depth)
            {
                return 804;
            }

            FeedMode? mode = connection.Depth ? code == DhanRequestCode.SubscribeDepth ? FeedMode.Full : null : DhanRequestCode.ModeOf(code);
            FeedMode? removed = connection.Depth
                ? code is DhanRequestCode.UnsubscribeDepth or 25 ? FeedMode.Full : null
                : DhanRequestCode.ModeOf(code - 1);
            if (mode is { } add)
            {
                subscribed.AddRange(list.Where(s => !connection.Depth || DhanSegment.HasDepth20(s.Segment)));
                subscribedMode = add;
                int after = connection.Subscribed.Keys.Select(k => k.Key).Union(subscribed.Select(s => s.Key)).Count();
                return after > (connection.Depth ? DhanEmulator.MaxDepthInstruments : DhanEmulator.MaxInstruments) ? 804 : 0;
            }

            if (removed is { } drop)
            {
                foreach (DhanEmulatorSecurity security in list)
                {
                    connection.Subscribed.TryRemove((security.Key, drop), out _);
                }

                return 0;
            }

            return 814;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return 814;
        }
    }

    private static List<DhanEmulatorSecurity> Instruments(JsonElement root, DhanEmulatorMarket market, out int count)
    {
        var list = new List<DhanEmulatorSecurity>();
        count = 0;
        if (!root.TryGetProperty("InstrumentList", out JsonElement instruments))
        {
            return list;
        }

        foreach (JsonElement entry in instruments.EnumerateArray())
        {
            count++;
            if (DhanSegment.TryParse(entry.GetProperty("ExchangeSegment").GetString() ?? "", out byte segment)
                && int.TryParse(entry.GetProperty("SecurityId").GetString(), out int id)
                && market.TryGet(segment, id, out DhanEmulatorSecurity? security))
            {
                list.Add(security);
            }
        }

        return list;
    }
}
