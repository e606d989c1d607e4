using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase channels per mode and the JSON messages that subscribe them. A product takes <c>market_trades</c> in
/// <c>ltp</c> mode, adds <c>ticker</c> in <c>quote</c> and <c>level2</c> in <c>full</c>. Coinbase takes exactly one
/// channel per message, so a batch becomes one message per channel; every connection also takes <c>heartbeats</c>.
/// </summary>
internal static class CoinbaseChannels
{
    public const string Trades = "market_trades";
    public const string Ticker = "ticker";
    public const string Level2 = "level2";
    public const string Heartbeats = "heartbeats";

    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The channels of <paramref name="mode"/>, trades first.</summary>
    public static IEnumerable<string> For(FeedMode mode)
    {
        yield return Trades;
        if (mode >= FeedMode.Quote)
        {
            yield return Ticker;
        }

        if (mode >= FeedMode.Full)
        {
            yield return Level2;
        }
    }

    /// <summary><c>{"type":"subscribe","product_ids":[…],"channel":"…"}</c> (or unsubscribe); no product ids for a whole-connection channel.</summary>
    public static ControlMessage Message(string type, string channel, IReadOnlyCollection<string>? products)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, s_writer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            if (products is not null)
            {
                json.WriteStartArray("product_ids");
                foreach (string product in products)
                {
                    json.WriteStringValue(product);
                }

                json.WriteEndArray();
            }

            json.WriteString("channel", channel);
            json.WriteEndObject();
        }

        return new ControlMessage(buffer.WrittenMemory.ToArray(), IsText: true);
    }

    /// <summary>One message per channel for the (channel, product) pairs, in channel order.</summary>
    public static IEnumerable<ControlMessage> Messages(string type, IEnumerable<(string Channel, string Product)> pairs) =>
        pairs.GroupBy(p => p.Channel, StringComparer.Ordinal)
            .OrderBy(g => Array.IndexOf([Trades, Ticker, Level2], g.Key))
            .Select(g => Message(type, g.Key, [.. g.Select(p => p.Product).Distinct(StringComparer.Ordinal)]));
}
