using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// Coinbase's JSON as the emulator writes it: the message envelope around each channel's events, and the REST bodies.
/// Prices and sizes are strings; times RFC 3339 with nanoseconds; <c>sequence_num</c> is filled in per connection.
/// </summary>
internal static class CoinbaseJson
{
    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    public static string Fixed(long raw) => FixedPoint.ToString(raw);

    /// <summary>One message: <c>{"channel","client_id","timestamp","sequence_num","events"}</c>.</summary>
    public static string Envelope(string channel, DateTime time, long sequence, string events) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"channel\":\"{channel}\",\"client_id\":\"\",\"timestamp\":\"{Time(time)}\",\"sequence_num\":{sequence},\"events\":{events}}}");

    public static string Trades(bool snapshot, string product, IEnumerable<CoinbaseTrade> newestFirst) => Write(json =>
    {
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("type", snapshot ? "snapshot" : "update");
        json.WriteStartArray("trades");
        foreach (CoinbaseTrade trade in newestFirst)
        {
            json.WriteStartObject();
            json.WriteString("trade_id", trade.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("product_id", product);
            json.WriteString("price", Fixed(trade.Price));
            json.WriteString("size", Fixed(trade.Size));
            json.WriteString("side", trade.Side);
            json.WriteString("time", Time(trade.Time));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    });

    public static string Ticker(bool snapshot, string product, CoinbaseTickerState t) => Write(json =>
    {
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("type", snapshot ? "snapshot" : "update");
        json.WriteStartArray("tickers");
        json.WriteStartObject();
        json.WriteString("type", "ticker");
        json.WriteString("product_id", product);
        json.WriteString("price", Fixed(t.Price));
        json.WriteString("volume_24_h", Fixed(t.Volume));
        json.WriteString("low_24_h", Fixed(t.Low));
        json.WriteString("high_24_h", Fixed(t.High));
        json.WriteString("low_52_w", Fixed(t.Low));
        json.WriteString("high_52_w", Fixed(t.High));
        json.WriteString("price_percent_chg_24_h", "-0.12");
        json.WriteString("best_bid", Fixed(t.Bid));
        json.WriteString("best_bid_quantity", Fixed(t.BidSize));
        json.WriteString("best_ask", Fixed(t.Ask));
        json.WriteString("best_ask_quantity", Fixed(t.AskSize));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    });

    /// <summary>An <c>l2_data</c> event: every level of a snapshot, or the changed ones of an update (size 0: gone).</summary>
    public static string Level2(bool snapshot, string product, DateTime time, IEnumerable<(bool Bid, long Price, long Size)> levels) => Write(json =>
    {
        string at = Time(time);
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("type", snapshot ? "snapshot" : "update");
        json.WriteString("product_id", product);
        json.WriteStartArray("updates");
        foreach ((bool bid, long price, long size) in levels)
        {
            json.WriteStartObject();
            json.WriteString("side", bid ? "bid" : "offer");
            json.WriteString("event_time", at);
            json.WriteString("price_level", Fixed(price));
            json.WriteString("new_quantity", Fixed(size));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    });

    public static string Heartbeat(DateTime time, long counter) =>
        string.Create(CultureInfo.InvariantCulture, $"[{{\"current_time\":\"{time:yyyy-MM-dd HH:mm:ss.fffffff} +0000 UTC m=+{counter}.000000001\",\"heartbeat_counter\":{counter}}}]");

    /// <summary>The <c>subscriptions</c> event: every channel the connection is on, with its products.</summary>
    public static string Subscriptions(IReadOnlyDictionary<string, IReadOnlyCollection<string>> channels) => Write(json =>
    {
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteStartObject("subscriptions");
        foreach ((string channel, IReadOnlyCollection<string> products) in channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray(channel);
            foreach (string product in products.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(product);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    });

    public static string Error(string message) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteString("message", message);
        json.WriteEndObject();
    });

    /// <summary><c>/api/v3/brokerage/market/products</c>.</summary>
    public static string Products(IEnumerable<(CoinbaseProductSpec Spec, long Price)> products) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("products");
        int count = 0;
        foreach ((CoinbaseProductSpec spec, long price) in products)
        {
            count++;
            json.WriteStartObject();
            json.WriteString("product_id", spec.ProductId);
            json.WriteString("price", Fixed(price));
            json.WriteString("base_increment", Fixed(spec.BaseIncrement.Raw));
            json.WriteString("quote_increment", Fixed(spec.QuoteIncrement.Raw));
            json.WriteString("base_min_size", Fixed(spec.BaseIncrement.Raw));
            json.WriteString("base_name", spec.BaseCurrency);
            json.WriteString("quote_name", spec.QuoteCurrency);
            json.WriteString("status", "online");
            json.WriteBoolean("trading_disabled", false);
            json.WriteString("product_type", "SPOT");
            json.WriteString("quote_currency_id", spec.QuoteCurrency);
            json.WriteString("base_currency_id", spec.BaseCurrency);
            json.WriteString("base_display_symbol", spec.BaseCurrency);
            json.WriteString("quote_display_symbol", spec.QuoteCurrency);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("num_products", count);
        json.WriteEndObject();
    });

    /// <summary><c>{"candles":[…]}</c>, newest first, from (start seconds, open, high, low, close, volume) rows.</summary>
    public static string Candles(IEnumerable<(long Start, long Open, long High, long Low, long Close, long Volume)> newestFirst) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("candles");
        foreach ((long start, long open, long high, long low, long close, long volume) in newestFirst)
        {
            json.WriteStartObject();
            json.WriteString("start", start.ToString(CultureInfo.InvariantCulture));
            json.WriteString("low", Fixed(low));
            json.WriteString("high", Fixed(high));
            json.WriteString("open", Fixed(open));
            json.WriteString("close", Fixed(close));
            json.WriteString("volume", Fixed(volume));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary><c>/products/{id}/ticker</c>: recent trades (newest first) and the best bid and ask.</summary>
    public static string RestTicker(string product, IEnumerable<CoinbaseTrade> newestFirst, long bid, long ask) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("trades");
        foreach (CoinbaseTrade trade in newestFirst)
        {
            json.WriteStartObject();
            json.WriteString("trade_id", trade.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("product_id", product);
            json.WriteString("price", Fixed(trade.Price));
            json.WriteString("size", Fixed(trade.Size));
            json.WriteString("time", Time(trade.Time));
            json.WriteString("side", trade.Side);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("best_bid", bid > 0 ? Fixed(bid) : "");
        json.WriteString("best_ask", ask > 0 ? Fixed(ask) : "");
        json.WriteEndObject();
    });

    public static string RestError(string error, string message) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("error", error);
        json.WriteString("message", message);
        json.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, s_writer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
