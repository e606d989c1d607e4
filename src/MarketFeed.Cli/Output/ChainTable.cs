using System.Globalization;
using System.Text;
using MarketFeed.Chains;
using MarketFeed.Model;

namespace MarketFeed.Cli.Output;

/// <summary>
/// An option chain as a terminal table: a header line with the chain's figures, then one line per strike with the
/// call's columns left of the strike and the put's mirrored to the right, the at-the-money strike marked with '>'.
/// IVs in percent; '-' where a figure is absent, the flag's short name where an IV could not be had.
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
            $"{Number(stats.YearsToExpiry * 365, 2)} days  ATM {Text(stats.Atm)}  PCR {Number(stats.PcrOi, 2)} OI / {Number(stats.PcrVolume, 2)} vol  max pain {Text(stats.MaxPain)}  seq {view.Seq}");
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
        string[] cells = [Text(side.Oi), Text(side.OiChange), Text(side.Volume), iv, Number(side.Greeks?.Delta ?? double.NaN, 2), Text(side.Ltp)];
        return mirrored
            ? string.Format(CultureInfo.InvariantCulture, "{5,9} {4,6} {3,7} {2,9} {1,9} {0,10}", cells)
            : string.Format(CultureInfo.InvariantCulture, Columns, cells);
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
