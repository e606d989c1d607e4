using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance stream names per mode and the JSON control messages that carry them. An instrument takes the trade stream
/// in <c>ltp</c> mode, adds <c>@bookTicker</c> in <c>quote</c>, and the 100 ms diff depth in <c>full</c>.
/// </summary>
internal static class BinanceStreams
{
    public const string Trade = "@trade";
    public const string BookTicker = "@bookTicker";
    public const string Depth = "@depth@100ms";

    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Count(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => 1,
        FeedMode.Quote => 2,
        _ => 3,
    };

    /// <summary>The streams of <paramref name="streamSymbol"/> (lower case) in <paramref name="mode"/>, trade first.</summary>
    public static IEnumerable<string> Names(string streamSymbol, FeedMode mode)
    {
        yield return streamSymbol + Trade;
        if (mode >= FeedMode.Quote)
        {
            yield return streamSymbol + BookTicker;
        }

        if (mode >= FeedMode.Full)
        {
            yield return streamSymbol + Depth;
        }
    }

    /// <summary><c>{"method":"SUBSCRIBE","params":[…],"id":N}</c> (or UNSUBSCRIBE).</summary>
    public static ControlMessage Request(string method, IEnumerable<string> streams, long id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, s_writer))
        {
            json.WriteStartObject();
            json.WriteString("method", method);
            json.WriteStartArray("params");
            foreach (string stream in streams)
            {
                json.WriteStringValue(stream);
            }

            json.WriteEndArray();
            json.WriteNumber("id", id);
            json.WriteEndObject();
        }

        return new ControlMessage(buffer.WrittenMemory.ToArray(), IsText: true);
    }

    /// <summary>
    /// <c>GET_PROPERTY combined</c>: the cheapest request Binance answers (<c>{"result":true,"id":N}</c>), used to
    /// hear from a quiet connection.
    /// </summary>
    public static ControlMessage Probe(long id) => Request("GET_PROPERTY", ["combined"], id);
}
