using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Reads <c>GET /0/public/AssetPairs</c>: every pair with a WebSocket name becomes a spot instrument
/// <c>KRAKEN:BTC/USD</c> named as v2 names it (the REST <c>wsname</c> is v1's, so <c>XBT</c> becomes <c>BTC</c> and
/// <c>XDG</c> <c>DOGE</c>), trading around the clock, with its <c>tick_size</c> (or <c>pair_decimals</c>) as tick and
/// <c>lot_decimals</c> as quantity step. Its REST name (the result key, <c>XXBTZUSD</c>) is kept for OHLC and ticker
/// calls. A pair that cannot be read (or needs more than 8 decimals) is rejected and counted; <c>delisted</c> pairs
/// are skipped. A response with Kraken's <c>error</c> list filled is refused whole.
/// </summary>
internal static class KrakenAssetPairs
{
    public const string Exchange = "KRAKEN";

    public static (List<(Instrument Instrument, string RestPair)> Pairs, int Rejected) Parse(byte[] json, string feed)
    {
        var pairs = new List<(Instrument, string)>();
        int rejected = 0;
        using JsonDocument document = KrakenRestJson.Parse(json, "/0/public/AssetPairs");
        JsonElement result = KrakenRestJson.Result(document, "/0/public/AssetPairs");
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Kraken AssetPairs: \"result\" is not an object; is this a /0/public/AssetPairs response?");
        }

        foreach (JsonProperty entry in result.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || String(entry.Value, "status") == "delisted")
            {
                continue;
            }

            if (TryRead(entry.Name, entry.Value, feed, out Instrument? instrument))
            {
                pairs.Add((instrument, entry.Name));
            }
            else
            {
                rejected++;
            }
        }

        return (pairs, rejected);
    }

    /// <summary>v1's asset codes where v2 differs.</summary>
    public static string V2Asset(string asset) => asset switch
    {
        "XBT" => "BTC",
        "XDG" => "DOGE",
        _ => asset,
    };

    private static bool TryRead(string restPair, JsonElement entry, string feed, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument)
    {
        instrument = null;
        string? wsname = String(entry, "wsname");
        string[] assets = wsname?.Split('/') ?? [];
        if (assets.Length != 2 || assets.Any(a => a.Length is 0 or > 16) || restPair.Length > 32
            || !Int(entry, "pair_decimals", out int priceDecimals) || !Int(entry, "lot_decimals", out int lotDecimals)
            || priceDecimals is < 0 or > 8 || lotDecimals is < 0 or > 8)
        {
            return false;
        }

        long tick = FixedPoint.PowerOfTen(FixedPoint.Scale - priceDecimals);
        if (entry.TryGetProperty("tick_size", out JsonElement tickSize)
            && (tickSize.ValueKind != JsonValueKind.String || !FixedPoint.TryParseUtf8(System.Text.Encoding.UTF8.GetBytes(tickSize.GetString()!), out tick) || tick <= 0))
        {
            return false;
        }

        string symbol = V2Asset(assets[0]) + "/" + V2Asset(assets[1]);
        instrument = new Instrument
        {
            Exchange = Exchange,
            TradingSymbol = symbol,
            Name = symbol,
            Kind = InstrumentKind.Spot,
            TickSize = Price.FromRaw(tick),
            LotSize = 1,
            QuantityStep = Quantity.FromRaw(FixedPoint.PowerOfTen(FixedPoint.Scale - lotDecimals)),
            Calendar = SessionCalendar.Crypto,
            Feed = feed,
            NativeKey = symbol,
        };
        return true;
    }

    private static bool Int(JsonElement o, string name, out int value)
    {
        value = 0;
        return o.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out value);
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
