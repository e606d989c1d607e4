using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Tests.Contract;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>
/// The sequence gaps a consumer must report, worked out from the raw streams: per instrument and channel, a number
/// more than one above the last one seen (whatever the producer's epoch) leaves the numbers between missing. Repeats,
/// and numbers at or below the last (a restart whose marks trailed), are not gaps.
/// </summary>
internal static class GapOracle
{
    public static List<(string Symbol, string Channel, string Producer, long From, long To)> Gaps(IEnumerable<StreamTap> taps)
    {
        var gaps = new List<(string, string, string, long, long)>();
        foreach (StreamTap tap in taps)
        {
            var last = new Dictionary<(string Symbol, BusChannel Channel), (uint Epoch, long Seq)>();
            foreach ((BusBatchHeader header, RecordingVisitor events, _) in tap.Batches)
            {
                foreach ((BusEventKind kind, BusEvent e, _) in events.Events)
                {
                    if (kind is BusEventKind.Heartbeat or BusEventKind.Instrument || e.IsStateRound)
                    {
                        continue;
                    }

                    BusChannel key = BusContract.ChannelOf(kind);
                    if (last.TryGetValue((e.Symbol, key), out var seen) && e.BusSeq > seen.Seq + 1)
                    {
                        gaps.Add((e.Symbol, BusContract.ChannelWord(key), header.GatewayId, seen.Seq + 1, e.BusSeq - 1));
                    }

                    if (!last.TryGetValue((e.Symbol, key), out seen) || seen.Epoch != header.Epoch || e.BusSeq > seen.Seq)
                    {
                        last[(e.Symbol, key)] = (header.Epoch, e.BusSeq);
                    }
                }
            }
        }

        return gaps;
    }
}
