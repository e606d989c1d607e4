using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Reads <c>GET /api/v3/brokerage/market/products</c>: every <c>SPOT</c> product that is <c>online</c> and not
/// trading-disabled becomes a spot instrument <c>COINBASE:BTC-USD</c> named <c>BTC/USD</c>, trading around the clock,
/// with <c>quote_increment</c> as its tick size and <c>base_increment</c> as its quantity step. A listed product whose
/// entry cannot be read is rejected and counted; other products (futures, offline) are skipped.
/// </summary>
internal static class CoinbaseProducts
{
    public const string Exchange = "COINBASE";

    public static (List<Instrument> Instruments, int Rejected) Parse(byte[] json, string feed)
    {
        var instruments = new List<Instrument>();
        int rejected = 0;
        using JsonDocument document = ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("products", out JsonElement products) || products.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Coinbase products: no \"products\" array; is this an /api/v3/brokerage/market/products response?");
        }

        foreach (JsonElement entry in products.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || String(entry, "product_type") is not (null or "SPOT")
                || String(entry, "status") is { } status && !status.Equals("online", StringComparison.OrdinalIgnoreCase)
                || entry.TryGetProperty("trading_disabled", out JsonElement disabled) && disabled.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            if (TryRead(entry, feed, out Instrument? instrument))
            {
                instruments.Add(instrument);
            }
            else
            {
                rejected++;
            }
        }

        return (instruments, rejected);
    }

    private static bool TryRead(JsonElement entry, string feed, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument)
    {
        instrument = null;
        string? product = String(entry, "product_id");
        string? baseAsset = String(entry, "base_currency_id") ?? String(entry, "base_display_symbol");
        string? quoteAsset = String(entry, "quote_currency_id") ?? String(entry, "quote_display_symbol");
        if (string.IsNullOrWhiteSpace(product) || product.Length > 32 || string.IsNullOrEmpty(baseAsset) || string.IsNullOrEmpty(quoteAsset)
            || !TryFixed(entry, "quote_increment", out long tick) || !TryFixed(entry, "base_increment", out long step) || tick <= 0 || step <= 0)
        {
            return false;
        }

        long wholeUnits = step / FixedPoint.Factor;
        instrument = new Instrument
        {
            Exchange = Exchange,
            TradingSymbol = product,
            Name = baseAsset + "/" + quoteAsset,
            Kind = InstrumentKind.Spot,
            TickSize = Price.FromRaw(tick),
            LotSize = step % FixedPoint.Factor == 0 && wholeUnits is >= 1 and <= int.MaxValue ? (int)wholeUnits : 1,
            QuantityStep = Quantity.FromRaw(step),
            Calendar = SessionCalendar.Crypto,
            Feed = feed,
            NativeKey = product,
        };
        return true;
    }

    private static bool TryFixed(JsonElement entry, string field, out long raw)
    {
        raw = 0;
        try
        {
            raw = CoinbaseRestJson.Fixed(entry.GetProperty(field), "/api/v3/brokerage/market/products");
            return true;
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException)
        {
            return false;
        }
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonDocument ParseDocument(byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException("Coinbase products is not valid JSON: " + e.Message, e);
        }
    }
}
