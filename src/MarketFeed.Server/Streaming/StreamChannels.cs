using MarketFeed.Candles;

namespace MarketFeed.Server.Streaming;

/// <summary>What a client wants of one instrument: ticks, its order book, and candles of some intervals.</summary>
internal sealed class StreamChannels
{
    public bool Ticks { get; set; }

    public bool Books { get; set; }

    public HashSet<CandleInterval> Candles { get; } = [];

    /// <summary>Parses <c>ticks</c>, <c>books</c> and <c>candles:INTERVAL</c>; no channels means ticks.</summary>
    public static StreamChannels Parse(IReadOnlyList<string> channels)
    {
        var parsed = new StreamChannels { Ticks = channels.Count == 0 };
        foreach (string channel in channels)
        {
            if (channel == "ticks")
            {
                parsed.Ticks = true;
            }
            else if (channel == "books")
            {
                parsed.Books = true;
            }
            else if (channel.StartsWith("candles:", StringComparison.Ordinal) && CandleInterval.TryParse(channel["candles:".Length..], out CandleInterval interval, out _))
            {
                parsed.Candles.Add(interval);
            }
            else
            {
                throw new ClientRequestException($"channel '{channel}' is not valid: use ticks, books or candles:INTERVAL (e.g. candles:1m)");
            }
        }

        return parsed;
    }

    public void UnionWith(StreamChannels other)
    {
        Ticks |= other.Ticks;
        Books |= other.Books;
        Candles.UnionWith(other.Candles);
    }

    public IEnumerable<string> Names() =>
        (Ticks ? ["ticks"] : Array.Empty<string>())
            .Concat(Books ? ["books"] : [])
            .Concat(Candles.Order().Select(c => "candles:" + c.Label));
}
