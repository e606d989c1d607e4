using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken v2 channels per mode and the requests that carry them. An instrument takes <c>trade</c> in <c>ltp</c> mode,
/// adds <c>ticker</c> (published on every best bid/offer change) in <c>quote</c>, and <c>book</c> in <c>full</c>.
/// Trades are subscribed without their snapshot (the last 50 trades would arrive as if new); the ticker and the
/// book with theirs. One request names one channel and any number of symbols; Kraken acks each symbol.
/// </summary>
internal static class KrakenRequests
{
    public const string Trade = "trade";
    public const string Ticker = "ticker";
    public const string Book = "book";

    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Count(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => 1,
        FeedMode.Quote => 2,
        _ => 3,
    };

    /// <summary>The channels of <paramref name="mode"/>, trade first.</summary>
    public static IEnumerable<string> Channels(FeedMode mode)
    {
        yield return Trade;
        if (mode >= FeedMode.Quote)
        {
            yield return Ticker;
        }

        if (mode >= FeedMode.Full)
        {
            yield return Book;
        }
    }

    /// <summary><c>{"method":"subscribe","params":{"channel":…,"symbol":[…],…},"req_id":N}</c> (or unsubscribe).</summary>
    public static ControlMessage Request(bool subscribe, string channel, IEnumerable<string> symbols, int bookDepth, long requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, s_writer))
        {
            json.WriteStartObject();
            json.WriteString("method", subscribe ? "subscribe" : "unsubscribe");
            json.WriteStartObject("params");
            json.WriteString("channel", channel);
            json.WriteStartArray("symbol");
            foreach (string symbol in symbols)
            {
                json.WriteStringValue(symbol);
            }

            json.WriteEndArray();
            if (channel == Book)
            {
                json.WriteNumber("depth", bookDepth);
            }

            if (subscribe)
            {
                if (channel == Ticker)
                {
                    json.WriteString("event_trigger", "bbo");
                }

                json.WriteBoolean("snapshot", channel != Trade);
            }

            json.WriteEndObject();
            json.WriteNumber("req_id", requestId);
            json.WriteEndObject();
        }

        return new ControlMessage(buffer.WrittenMemory.ToArray(), IsText: true);
    }

    /// <summary><c>{"method":"ping","req_id":N}</c>: Kraken answers with a pong.</summary>
    public static ControlMessage Ping(long requestId) =>
        ControlMessage.Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"method\":\"ping\",\"req_id\":{requestId}}}"));
}
