using System.Globalization;
using System.Text.Json;
using MarketFeed.Chains;
using MarketFeed.Model;

namespace MarketFeed.Serialization;

/// <summary>
/// The chain shape (docs/chains.md): <c>{"type":"chain","snapshot":true|false,"seq":…,…chain figures…,"strikes":[{"strike":…,
/// "seq":…,"smileIv":…,"call":{…},"put":{…}}]}</c>. A snapshot lists every strike of the window, an update only the
/// strikes that changed. Volatilities are in percent (vol points); an absent one is null with its flag saying why;
/// numbers are never NaN.
/// </summary>
public static class ChainJson
{
    public static void Write(Utf8JsonWriter writer, ChainView view, double rate)
    {
        ChainDefinition definition = view.Definition;
        ChainStats stats = view.Stats;
        TimeZoneInfo zone = definition.Calendar.Zone;
        writer.WriteStartObject();
        writer.WriteString("type", "chain");
        writer.WriteBoolean("snapshot", view.IsSnapshot);
        writer.WriteNumber("seq", view.Seq);
        writer.WriteString("underlying", definition.UnderlyingSymbol);
        writer.WriteString("root", definition.Root);
        writer.WriteString("feed", definition.Feed);
        writer.WriteString("expiry", definition.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        writer.WriteNumber("lotSize", definition.LotSize);
        writer.WriteNumber("strikesEachSide", view.StrikesEachSide);
        JsonValues.WriteTime(writer, "time", view.ComputedUtc, zone);
        writer.WriteString("basis", stats.OnFuture ? "future" : "spot");
        if (definition.Future is { } future)
        {
            writer.WriteString("future", future.Symbol);
        }
        else
        {
            writer.WriteNull("future");
        }

        Number(writer, "spot", stats.Spot, 2);
        Number(writer, "futurePrice", stats.FuturePrice, 2);
        Number(writer, "forward", stats.Forward, 2);
        Number(writer, "daysToExpiry", stats.YearsToExpiry * 365, 4);
        writer.WriteNumber("rate", rate);
        JsonValues.WritePrice(writer, "atm", stats.Atm);
        Number(writer, "pcrOi", stats.PcrOi, 4);
        Number(writer, "pcrVolume", stats.PcrVolume, 4);
        JsonValues.WritePrice(writer, "maxPain", stats.MaxPain);
        writer.WriteNumber("greeksCompared", stats.GreeksCompared);
        writer.WriteNumber("greeksDisagreements", stats.GreeksDisagreements);
        Number(writer, "maxIvDifference", stats.MaxIvDifferencePoints, 4);
        writer.WriteStartArray("strikes");
        foreach (ChainRow row in view.Rows)
        {
            ChainStrike listed = definition.Strikes[definition.NearestStrike(row.Strike.ToDouble())];
            writer.WriteStartObject();
            JsonValues.WritePrice(writer, "strike", row.Strike);
            writer.WriteNumber("seq", row.Seq);
            Number(writer, "smileIv", row.SmileIv(stats.Forward) * 100, 4);
            Side(writer, "call", row.Call, listed.Call?.Symbol);
            Side(writer, "put", row.Put, listed.Put?.Symbol);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string ToJson(ChainView view, double rate)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            Write(writer, view, rate);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>How an <see cref="IvFlag"/> is written: lower camel case, null for none.</summary>
    public static string? FlagName(IvFlag flag) => flag switch
    {
        IvFlag.None => null,
        IvFlag.NoPrice => "noPrice",
        IvFlag.BelowIntrinsic => "belowIntrinsic",
        IvFlag.AboveBound => "aboveBound",
        IvFlag.NoTime => "noTime",
        IvFlag.OutOfRange => "outOfRange",
        _ => flag.ToString(),
    };

    private static void Side(Utf8JsonWriter writer, string name, in ChainSide side, string? symbol)
    {
        if (symbol is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("symbol", symbol);
        JsonValues.WritePrice(writer, "ltp", side.Ltp);
        JsonValues.WritePrice(writer, "bid", side.Bid);
        JsonValues.WritePrice(writer, "ask", side.Ask);
        JsonValues.WriteQuantity(writer, "volume", side.Volume);
        JsonValues.WriteQuantity(writer, "oi", side.Oi);
        JsonValues.WriteQuantity(writer, "oiChange", side.OiChange);
        JsonValues.WriteQuantity(writer, "previousOi", side.PreviousOi);
        if (BasisName(side.OiBasis) is { } basis)
        {
            writer.WriteString("oiChangeBasis", basis);
        }
        else
        {
            writer.WriteNull("oiChangeBasis");
        }

        Number(writer, "ivMid", side.IvMidFlag == IvFlag.None ? side.IvMid * 100 : double.NaN, 4);
        Flag(writer, "ivMidFlag", side.IvMidFlag);
        Number(writer, "ivLast", side.IvLastFlag == IvFlag.None ? side.IvLast * 100 : double.NaN, 4);
        Flag(writer, "ivLastFlag", side.IvLastFlag);
        OptionGreeks? greeks = side.Greeks;
        Number(writer, "delta", greeks?.Delta ?? double.NaN, 4);
        Number(writer, "gamma", greeks?.Gamma ?? double.NaN, 8);
        Number(writer, "theta", greeks?.Theta ?? double.NaN, 4);
        Number(writer, "vega", greeks?.Vega ?? double.NaN, 4);
        if (side.VenueGreeks is { } venue)
        {
            writer.WriteStartObject("venue");
            Number(writer, "iv", venue.Iv, 4);
            Number(writer, "delta", venue.Delta, 4);
            Number(writer, "gamma", venue.Gamma, 8);
            Number(writer, "theta", venue.Theta, 4);
            Number(writer, "vega", venue.Vega, 4);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("venue");
        }

        writer.WriteEndObject();
    }

    /// <summary>What an OI change is measured from, as the API names it; null without one.</summary>
    public static string? BasisName(OiChangeBasis basis) => basis switch
    {
        OiChangeBasis.PreviousDay => "previousDay",
        OiChangeBasis.Session => "session",
        _ => null,
    };

    private static void Flag(Utf8JsonWriter writer, string name, IvFlag flag)
    {
        if (FlagName(flag) is { } text)
        {
            writer.WriteString(name, text);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, double value, int decimals)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, Math.Round(value, decimals));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
