using System.Text;
using System.Text.Json;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary><c>GET /api/v3/exchangeInfo</c> as Binance writes it: rate limits, and per symbol its status, assets, precisions, order types and filters.</summary>
internal static class BinanceExchangeInfo
{
    private const string MaxPrice = "1000000.00000000";
    private const string MaxQuantity = "9000000.00000000";

    public static string Json(IEnumerable<BinanceSymbolSpec> symbols, int weightPerMinute, DateTime nowUtc)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("timezone", "UTC");
            json.WriteNumber("serverTime", BinanceJson.UnixMilliseconds(nowUtc));
            json.WriteStartArray("rateLimits");
            RateLimit(json, "REQUEST_WEIGHT", "MINUTE", 1, weightPerMinute);
            RateLimit(json, "ORDERS", "SECOND", 10, 100);
            RateLimit(json, "ORDERS", "DAY", 1, 200_000);
            RateLimit(json, "RAW_REQUESTS", "MINUTE", 5, 61_000);
            json.WriteEndArray();
            json.WriteStartArray("exchangeFilters");
            json.WriteEndArray();
            json.WriteStartArray("symbols");
            foreach (BinanceSymbolSpec symbol in symbols)
            {
                Symbol(json, symbol);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void RateLimit(Utf8JsonWriter json, string type, string interval, int intervalNum, int limit)
    {
        json.WriteStartObject();
        json.WriteString("rateLimitType", type);
        json.WriteString("interval", interval);
        json.WriteNumber("intervalNum", intervalNum);
        json.WriteNumber("limit", limit);
        json.WriteEndObject();
    }

    private static void Symbol(Utf8JsonWriter json, BinanceSymbolSpec symbol)
    {
        string tick = BinanceJson.Decimal8(symbol.TickSize.Raw);
        string step = BinanceJson.Decimal8(symbol.StepSize.Raw);
        json.WriteStartObject();
        json.WriteString("symbol", symbol.Symbol);
        json.WriteString("status", "TRADING");
        json.WriteString("baseAsset", symbol.BaseAsset);
        json.WriteNumber("baseAssetPrecision", 8);
        json.WriteString("quoteAsset", symbol.QuoteAsset);
        json.WriteNumber("quotePrecision", 8);
        json.WriteNumber("quoteAssetPrecision", 8);
        json.WriteNumber("baseCommissionPrecision", 8);
        json.WriteNumber("quoteCommissionPrecision", 8);
        json.WriteStartArray("orderTypes");
        foreach (string type in (ReadOnlySpan<string>)["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"])
        {
            json.WriteStringValue(type);
        }

        json.WriteEndArray();
        foreach (string flag in (ReadOnlySpan<string>)["icebergAllowed", "ocoAllowed", "otoAllowed", "quoteOrderQtyMarketAllowed", "allowTrailingStop", "cancelReplaceAllowed", "isSpotTradingAllowed"])
        {
            json.WriteBoolean(flag, true);
        }

        json.WriteBoolean("isMarginTradingAllowed", false);
        json.WriteStartArray("filters");
        Filter(json, "PRICE_FILTER", ("minPrice", tick), ("maxPrice", MaxPrice), ("tickSize", tick));
        Filter(json, "LOT_SIZE", ("minQty", step), ("maxQty", MaxQuantity), ("stepSize", step));
        Filter(json, "ICEBERG_PARTS", ("limit", 10));
        Filter(json, "MARKET_LOT_SIZE", ("minQty", "0.00000000"), ("maxQty", MaxQuantity), ("stepSize", "0.00000000"));
        Filter(json, "NOTIONAL", ("minNotional", "5.00000000"), ("applyMinToMarket", true), ("maxNotional", "9000000.00000000"), ("applyMaxToMarket", false), ("avgPriceMins", 5));
        json.WriteEndArray();
        json.WriteStartArray("permissions");
        json.WriteEndArray();
        json.WriteStartArray("permissionSets");
        json.WriteStartArray();
        json.WriteStringValue("SPOT");
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteString("defaultSelfTradePreventionMode", "EXPIRE_MAKER");
        json.WriteStartArray("allowedSelfTradePreventionModes");
        foreach (string mode in (ReadOnlySpan<string>)["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"])
        {
            json.WriteStringValue(mode);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Filter(Utf8JsonWriter json, string type, params (string Name, object Value)[] fields)
    {
        json.WriteStartObject();
        json.WriteString("filterType", type);
        foreach ((string name, object value) in fields)
        {
            switch (value)
            {
                case string text:
                    json.WriteString(name, text);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                default:
                    json.WriteNumber(name, (int)value);
                    break;
            }
        }

        json.WriteEndObject();
    }
}
