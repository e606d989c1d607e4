using MarketFeed.Chains;
using MarketFeed.Instruments;

namespace CePeBreakout;

/// <summary>
/// Picks the two legs to watch from a live option chain: the strike whose call delta is nearest 0.5 (at the money by
/// the market's own pricing, which accounts for the forward and the smile), or the chain's ATM strike while no
/// option has Greeks yet. Both legs come from that one strike, so CE and PE are the same distance from the money.
/// </summary>
public static class ChainLegs
{
    public static (Instrument Call, Instrument Put) Pick(ChainView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        ChainDefinition definition = view.Definition;
        ChainStrike? best = null;
        double nearest = double.PositiveInfinity;
        foreach (ChainRow row in view.Rows)
        {
            ChainStrike listed = definition.Strikes[definition.NearestStrike(row.Strike.ToDouble())];
            if (listed.Call is null || listed.Put is null || row.Call.Greeks is not { } greeks)
            {
                continue;
            }

            double distance = Math.Abs(greeks.Delta - 0.5);
            if (distance < nearest)
            {
                nearest = distance;
                best = listed;
            }
        }

        if (best is null)
        {
            if (!view.Stats.Atm.HasValue)
            {
                throw new InvalidOperationException($"the {definition.Root} chain has no price yet: wait for its first data");
            }

            best = definition.Strikes[definition.NearestStrike(view.Stats.Atm.ToDouble())];
        }

        return (best.Call ?? throw new InvalidOperationException($"no call listed at {best.Strike}"),
            best.Put ?? throw new InvalidOperationException($"no put listed at {best.Strike}"));
    }
}
