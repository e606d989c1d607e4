using System.Globalization;
using System.Text;
using MarketFeed.Chains;
using MarketFeed.Model;

namespace MarketFeed.Cli.Output;

/// <summary>
/// An option chain as a terminal table: a header line with the chain's figures, then one line per strike with the
/// call's columns left of the strike and the put's mirrored to the right, the at-the-money strike marked with '>'.
/// IVs in percent; '-' where a figure is absent, the flag's short name where an IV could not be had. ΔOI is from the
/// previous day's close; one marked '*' is from this session's first OI (the feed has not said the previous day's).
/// </summary>
internal static class ChainTable
{
    private const string Columns = "{0,10} {1,9} {2,9} {3,7} {4,6} {5,9}";

    public static string Format(ChainView view)
    {
        ChainDefinition definition = view.Definition;
        ChainStats stats = view.Stats;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{definition.Root} {definition.Expiry:yyyy-MM-dd}  {definition.UnderlyingSymbol} {Number(stats.Spot, 2)}  forward {Number(stats.Forward, 2)} ({(stats.OnFuture ? "future" : "spot")})  ");
        text.Append(CultureInfo.InvariantCulture,
            $"{Number(stats.YearsToExpiry * 365, 2)} days  ATM {Text(stats.Atm)}  PCR {Number(stats.PcrOi, 2)} OI / {Number(stats.PcrVolume, 2)} vol  max pain {Text(stats.MaxPain)}  ΔOI {Basis(view.Rows)}  seq {view.Seq}");
        text.AppendLine();
        string calls = string.Format(CultureInfo.InvariantCulture, Columns, "OI", "ΔOI", "VOLUME", "IV", "DELTA", "LTP");
        string puts = string.Format(CultureInfo.InvariantCulture, "{5,9} {4,6} {3,7} {2,9} {1,9} {0,10}", "OI", "ΔOI", "VOLUME", "IV", "DELTA", "LTP");
        text.Append(calls).Append(" | ").Append(string.Format(CultureInfo.InvariantCulture, "  {0,9}", "STRIKE")).Append(" | ").AppendLine(puts);
        foreach (ChainRow row in view.Rows)
        {
            bool atm = row.Strike == stats.Atm;
            text.Append(Side(row.Call, mirrored: false)).Append(" | ")
                .Append(atm ? "> " : "  ").Append(string.Format(CultureInfo.InvariantCulture, "{0,9}", Text(row.Strike))).Append(" | ")
                .AppendLine(Side(row.Put, mirrored: true));
        }

        return text.ToString();
    }

    private static string Side(in ChainSide side, bool mirrored)
    {
        string iv = side.IvMidFlag == IvFlag.None ? Number(side.IvMid * 100, 2)
            : side.IvLastFlag == IvFlag.None ? Number(side.IvLast * 100, 2)
            : Short(side.IvLastFlag == IvFlag.NoPrice ? side.IvMidFlag : side.IvLastFlag);
        string change = Text(side.OiChange) + (side.OiBasis == OiChangeBasis.Session ? "*" : "");
        string[] cells = [Text(side.Oi), change, Text(side.Volume), iv, Number(side.Greeks?.Delta ?? double.NaN, 2), Text(side.Ltp)];
        return mirrored
            ? string.Format(CultureInfo.InvariantCulture, "{5,9} {4,6} {3,7} {2,9} {1,9} {0,10}", cells)
            : string.Format(CultureInfo.InvariantCulture, Columns, cells);
    }

    /// <summary>What the rows' OI changes are measured from.</summary>
    private static string Basis(ChainRow[] rows)
    {
        bool previous = false, session = false;
        foreach (ChainRow row in rows)
        {
            previous |= row.Call.OiBasis == OiChangeBasis.PreviousDay || row.Put.OiBasis == OiChangeBasis.PreviousDay;
            session |= row.Call.OiBasis == OiChangeBasis.Session || row.Put.OiBasis == OiChangeBasis.Session;
        }

        return (previous, session) switch
        {
            (true, true) => "vs previous day (* vs session start)",
            (true, false) => "vs previous day",
            (false, true) => "vs session start*",
            _ => "-",
        };
    }

    private static string Short(IvFlag flag) => flag switch
    {
        IvFlag.BelowIntrinsic => "<intr",
        IvFlag.AboveBound => ">bound",
        IvFlag.NoTime => "expd",
        IvFlag.OutOfRange => "range",
        _ => "-",
    };

    private static string Number(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";

    private static string Text(Price price) => price.HasValue ? price.ToString() : "-";

    private static string Text(Quantity quantity) => quantity.HasValue ? quantity.ToString() : "-";
}
