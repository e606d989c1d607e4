using System.Globalization;
using System.Text;

namespace MarketFeed.Simulation.Realism;

/// <summary>The realism report: per-instrument rows and the chain-wide checks, renderable as the Markdown of docs/simulator.md.</summary>
public sealed record RealismReport(
    RealismOptions Options,
    IReadOnlyList<RealismRow> Rows,
    long Ticks,
    long Outliers,
    long OptionTicks,
    long OptionOutliers,
    long BelowIntrinsic,
    double ParityMeanAbsPoints,
    double ParityMaxAbsPoints,
    double ParityMeanAbsBasisPoints,
    int ParitySamples)
{
    public string ToMarkdown()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"Seed {Options.Seed}, {Options.Date:yyyy-MM-dd}, {Options.Minutes} minutes from the 09:15 IST open, ")
          .Append(c, $"{Options.TicksPerInstrumentPerSecond:0.##} tick/s for every instrument ({Ticks:N0} ticks).\n\n");
        md.Append("| instrument | kind | σ 1 s | σ 1 m | σ aimed for | spread (ticks) | spread aimed for | ticks/s | outliers |\n");
        md.Append("|---|---|---:|---:|---|---:|---|---:|---:|\n");
        foreach (RealismRow r in Rows)
        {
            string spread = double.IsNaN(r.SpreadTicks) ? "–" : r.SpreadTicks.ToString("0.00", c);
            md.Append(c, $"| {r.Symbol} | {r.Kind} | {r.Volatility1s:P0} | {r.Volatility1m:P0} | {r.Reference} | {spread} | {r.SpreadReference} | {r.TicksPerSecond:0.00} | {r.OutlierRate:P2} |\n");
        }

        md.Append('\n');
        md.Append("| check | measured | real market |\n|---|---:|---|\n");
        md.Append(c, $"| outlier flags, all ticks | {Rate(Outliers, Ticks)} ({Outliers:N0} of {Ticks:N0}) | ≈ 0 (no bad prints) |\n");
        md.Append(c, $"| outlier flags, option ticks | {Rate(OptionOutliers, OptionTicks)} ({OptionOutliers:N0} of {OptionTicks:N0}) | ≈ 0 |\n");
        md.Append(c, $"| option quotes with bid or last below intrinsic (vs the index's last tick) | {BelowIntrinsic:N0} | 0 |\n");
        md.Append(c, $"| put–call parity residual, mean abs of C−P−(S−K·e^(−rT)) on mids | {ParityMeanAbsPoints:0.00} points ({ParityMeanAbsBasisPoints:0.0} bp of the index) | within the spreads: a few points |\n");
        md.Append(c, $"| put–call parity residual, worst of {ParitySamples:N0} samples | {ParityMaxAbsPoints:0.00} points | |\n");
        return md.ToString();

        string Rate(long part, long whole) => whole == 0 ? "–" : ((double)part / whole).ToString("P3", c);
    }
}
