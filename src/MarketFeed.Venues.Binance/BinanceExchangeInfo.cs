using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Reads <c>GET /api/v3/exchangeInfo</c>: every symbol whose <c>status</c> is <c>TRADING</c> (and that spot trading
/// allows) becomes a spot instrument <c>BINANCE:BTCUSDT</c> named <c>BTC/USDT</c>, trading around the clock, with the
/// tick size of its <c>PRICE_FILTER</c> and the quantity step of its <c>LOT_SIZE</c> filter. A trading symbol whose
/// entry cannot be read is rejected and counted; other symbols are skipped.
/// </summary>
internal static class BinanceExchangeInfo
{
    public const string Exchange = "BINANCE";

    public static (List<Instrument> Instruments, int Rejected) Parse(byte[] json, string feed)
    {
        var instruments = new List<Instrument>();
        int rejected = 0;
        using JsonDocument document = ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("symbols", out JsonElement symbols) || symbols.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Binance exchangeInfo: no \"symbols\" array; is this an /api/v3/exchangeInfo response?");
        }

        foreach (JsonElement entry in symbols.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || String(entry, "status") != "TRADING"
                || (entry.TryGetProperty("isSpotTradingAllowed", out JsonElement spot) && spot.ValueKind == JsonValueKind.False))
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
        string? symbol = String(entry, "symbol");
        string? baseAsset = String(entry, "baseAsset");
        string? quoteAsset = String(entry, "quoteAsset");
        if (string.IsNullOrWhiteSpace(symbol) || symbol.Length > 32 || string.IsNullOrEmpty(baseAsset) || string.IsNullOrEmpty(quoteAsset)
            || !TryFilter(entry, "PRICE_FILTER", "tickSize", out long tick) || !TryFilter(entry, "LOT_SIZE", "stepSize", out long step))
        {
            return false;
        }

        // A filter value of 0 means the rule is off: any price on the 8-decimal grid, any quantity.
        long wholeUnits = step / FixedPoint.Factor;
        instrument = new Instrument
        {
            Exchange = Exchange,
            TradingSymbol = symbol,
            Name = baseAsset + "/" + quoteAsset,
            Kind = InstrumentKind.Spot,
            TickSize = Price.FromRaw(tick > 0 ? tick : 1),
            LotSize = step % FixedPoint.Factor == 0 && wholeUnits is >= 1 and <= int.MaxValue ? (int)wholeUnits : 1,
            QuantityStep = step > 0 ? Quantity.FromRaw(step) : Quantity.None,
            Calendar = SessionCalendar.Crypto,
            Feed = feed,
            NativeKey = symbol,
        };
        return true;
    }

    /// <summary>A filter's value; a filter that is absent counts as off (0), one present but unreadable fails.</summary>
    private static bool TryFilter(JsonElement entry, string type, string field, out long raw)
    {
        raw = 0;
        if (!entry.TryGetProperty("filters", out JsonElement filters) || filters.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        foreach (JsonElement filter in filters.EnumerateArray())
        {
            if (filter.ValueKind == JsonValueKind.Object && String(filter, "filterType") == type)
            {
                try
                {
                    raw = BinanceRestJson.Fixed(filter.GetProperty(field), "/api/v3/exchangeInfo");
                    return true;
                }
                catch (Exception e) when (e is FormatException or KeyNotFoundException)
                {
                    return false;
                }
            }
        }

        return true;
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
            throw new FormatException("Binance exchangeInfo is not valid JSON: " + e.Message, e);
        }
    }
}
