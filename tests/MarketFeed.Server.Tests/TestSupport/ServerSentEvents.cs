using System.Text.Json;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>Reads a gateway's server-sent events (<c>event:</c> then <c>data:</c> lines) as (name, JSON) pairs.</summary>
internal static class ServerSentEvents
{
    /// <summary>Reads events until <paramref name="enough"/> says so; fails the test after 15 s.</summary>
    public static async Task<List<(string Event, JsonElement Data)>> ReadUntilAsync(StreamReader reader, Func<List<(string Event, JsonElement Data)>, bool> enough)
    {
        var events = new List<(string Event, JsonElement Data)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        string? name = null;
        while (!enough(events))
        {
            string line = (await reader.ReadLineAsync(timeout.Token))!;
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        return events;
    }
}
