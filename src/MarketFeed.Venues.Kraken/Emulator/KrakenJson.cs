using System.Globalization;
using System.Text;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// Kraken v2's messages as the emulator writes them: numbers as JSON numbers with the pair's decimals (trailing zeros
/// kept, as Kraken writes them), times in RFC 3339 with microseconds, and the book checksum computed from that very
/// text (point dropped, leading zeros stripped, asks then bids, top 10 each).
/// </summary>
internal static class KrakenJson
{
    /// <summary><paramref name="raw"/> (fixed point, 8 decimals) written with exactly <paramref name="decimals"/> decimals.</summary>
    public static string Number(long raw, int decimals)
    {
        long unit = MarketFeed.Model.FixedPoint.PowerOfTen(8 - decimals);
        long mantissa = raw / unit;
        long scale = MarketFeed.Model.FixedPoint.PowerOfTen(decimals);
        string whole = (mantissa / scale).ToString(CultureInfo.InvariantCulture);
        return decimals == 0 ? whole : whole + "." + (mantissa % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
    }

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Trades(KrakenPairSpec spec, IEnumerable<KrakenTrade> trades, bool snapshot)
    {
        var json = new StringBuilder(256);
        json.Append("{\"channel\":\"trade\",\"type\":\"").Append(snapshot ? "snapshot" : "update").Append("\",\"data\":[");
        bool first = true;
        foreach (KrakenTrade t in trades)
        {
            json.Append(first ? "" : ",").Append("{\"symbol\":\"").Append(spec.Symbol).Append("\",\"side\":\"").Append(t.Buy ? "buy" : "sell")
                .Append("\",\"price\":").Append(Number(t.Price, spec.PriceDecimals)).Append(",\"qty\":").Append(Number(t.Quantity, spec.LotDecimals))
                .Append(",\"ord_type\":\"market\",\"trade_id\":").Append(t.Id.ToString(CultureInfo.InvariantCulture))
                .Append(",\"timestamp\":\"").Append(Time(t.Time)).Append("\"}");
            first = false;
        }

        return json.Append("]}").ToString();
    }

    public static string Ticker(KrakenPairSpec spec, (long Price, long Quantity) bid, (long Price, long Quantity) ask, long last, bool snapshot, DateTime time) =>
        new StringBuilder(256)
            .Append("{\"channel\":\"ticker\",\"type\":\"").Append(snapshot ? "snapshot" : "update").Append("\",\"data\":[{\"symbol\":\"").Append(spec.Symbol)
            .Append("\",\"bid\":").Append(Number(bid.Price, spec.PriceDecimals)).Append(",\"bid_qty\":").Append(Number(bid.Quantity, spec.LotDecimals))
            .Append(",\"ask\":").Append(Number(ask.Price, spec.PriceDecimals)).Append(",\"ask_qty\":").Append(Number(ask.Quantity, spec.LotDecimals))
            .Append(",\"last\":").Append(Number(last, spec.PriceDecimals)).Append(",\"volume\":0.00000000,\"vwap\":").Append(Number(last, spec.PriceDecimals))
            .Append(",\"low\":").Append(Number(last, spec.PriceDecimals)).Append(",\"high\":").Append(Number(last, spec.PriceDecimals))
            .Append(",\"change\":0.0,\"change_pct\":0.00,\"timestamp\":\"").Append(Time(time)).Append("\"}]}").ToString();

    /// <summary>A book snapshot or update; <paramref name="checksum"/> is what the message claims (the <c>badchecksum</c> fault passes a wrong one).</summary>
    public static string Book(KrakenPairSpec spec, IReadOnlyList<(long Price, long Quantity)> bids, IReadOnlyList<(long Price, long Quantity)> asks, uint checksum, bool snapshot, DateTime time)
    {
        var json = new StringBuilder(512);
        json.Append("{\"channel\":\"book\",\"type\":\"").Append(snapshot ? "snapshot" : "update").Append("\",\"data\":[{\"symbol\":\"").Append(spec.Symbol).Append("\",\"bids\":");
        Levels(json, spec, bids);
        json.Append(",\"asks\":");
        Levels(json, spec, asks);
        return json.Append(",\"checksum\":").Append(checksum.ToString(CultureInfo.InvariantCulture))
            .Append(",\"timestamp\":\"").Append(Time(time)).Append("\"}]}").ToString();
    }

    /// <summary>Kraken's CRC32 of a book (each side best first), from the text the emulator writes.</summary>
    public static uint Checksum(KrakenPairSpec spec, IReadOnlyList<(long Price, long Quantity)> bids, IReadOnlyList<(long Price, long Quantity)> asks)
    {
        var text = new StringBuilder(512);
        foreach ((long price, long quantity) in asks.Take(10).Concat(bids.Take(10)))
        {
            text.Append(Strip(Number(price, spec.PriceDecimals))).Append(Strip(Number(quantity, spec.LotDecimals)));
        }

        return KrakenCrc32.Compute(Encoding.ASCII.GetBytes(text.ToString()));
    }

    public static string Status(long connectionId, string system) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"channel\":\"status\",\"type\":\"update\",\"data\":[{{\"version\":\"2.0.10\",\"system\":\"{system}\",\"api_version\":\"v2\",\"connection_id\":{connectionId}}}]}}");

    public const string Heartbeat = "{\"channel\":\"heartbeat\"}";

    public static string Pong(long? requestId, DateTime received, DateTime sent) =>
        "{\"method\":\"pong\"" + RequestId(requestId) + ",\"time_in\":\"" + Time(received) + "\",\"time_out\":\"" + Time(sent) + "\"}";

    /// <summary>One per symbol: <c>{"method":"subscribe","result":{"channel":…,"symbol":…,…},"success":true,…}</c>.</summary>
    public static string Ack(string method, string channel, string symbol, int? depth, long? requestId, DateTime received, DateTime sent) =>
        new StringBuilder(256).Append("{\"method\":\"").Append(method).Append("\",\"result\":{\"channel\":\"").Append(channel).Append("\"")
            .Append(depth is { } d ? ",\"depth\":" + d.ToString(CultureInfo.InvariantCulture) : "")
            .Append(method == "subscribe" ? ",\"snapshot\":true" : "")
            .Append(",\"symbol\":\"").Append(Escape(symbol)).Append("\"},\"success\":true,\"time_in\":\"").Append(Time(received))
            .Append("\",\"time_out\":\"").Append(Time(sent)).Append('"').Append(RequestId(requestId)).Append('}').ToString();

    /// <summary><c>{"error":…,"method":…,"success":false,"symbol":…,…}</c>; the symbol only when the error concerns one.</summary>
    public static string Error(string? method, string error, string? symbol, long? requestId, DateTime received, DateTime sent) =>
        new StringBuilder(256).Append("{\"error\":\"").Append(Escape(error)).Append('"')
            .Append(method is null ? "" : ",\"method\":\"" + Escape(method) + "\"").Append(",\"success\":false")
            .Append(symbol is null ? "" : ",\"symbol\":\"" + Escape(symbol) + "\"")
            .Append(",\"time_in\":\"").Append(Time(received)).Append("\",\"time_out\":\"").Append(Time(sent)).Append('"').Append(RequestId(requestId)).Append('}').ToString();

    private static void Levels(StringBuilder json, KrakenPairSpec spec, IReadOnlyList<(long Price, long Quantity)> levels)
    {
        json.Append('[');
        for (int i = 0; i < levels.Count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"price\":").Append(Number(levels[i].Price, spec.PriceDecimals))
                .Append(",\"qty\":").Append(Number(levels[i].Quantity, spec.LotDecimals)).Append('}');
        }

        json.Append(']');
    }

    private static string Strip(string number) => number.Replace(".", "", StringComparison.Ordinal).TrimStart('0');

    private static string RequestId(long? requestId) => requestId is { } id ? ",\"req_id\":" + id.ToString(CultureInfo.InvariantCulture) : "";

    private static string Escape(string text) => System.Text.Json.JsonEncodedText.Encode(text).ToString();
}
