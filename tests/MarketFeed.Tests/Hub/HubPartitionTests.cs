using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;

namespace MarketFeed.Tests.Hub;

public class HubPartitionTests
{
    [Fact]
    public void Admission_allocates_nothing_for_accepted_flagged_and_rejected_ticks()
    {
        DateTime now = TestInstruments.Ist(10, 0, 10);
        var registry = new InstrumentRegistry();
        var subscriptions = new SubscriptionManager();
        var hub = new MarketHub(registry, subscriptions, new HubOptions { Partitions = 1 }, new ManualTimeProvider(new DateTimeOffset(now, TimeSpan.Zero)));
        Instrument instrument = registry.Register(TestInstruments.Equity());
        subscriptions.Acquire(instrument.Id, FeedMode.Full);
        HubPartition partition = hub.PartitionOf(instrument.Id);

        Run(partition, instrument.Id, now, 0, 50);
        int from = 50;
        long allocated = Allocations.FewestPerRound(() =>
        {
            Run(partition, instrument.Id, now, from, from + 450);
            from += 450;
        });

        Assert.Equal(0, allocated);
        Assert.True(partition.Counters.RejectedInconsistent > 0 && partition.Counters.FlaggedClockAhead > 0 && partition.Counters.FlaggedOutlier > 0);
    }

    private static void Run(HubPartition partition, InstrumentId id, DateTime now, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            Price ltp = Price.FromDecimal(2900 + (i % 40 * 0.05m));
            var tick = new Tick(id)
            {
                ExchangeTime = now.AddMilliseconds(i), ReceiveTime = now.AddMilliseconds(i), Ltp = ltp, Ltq = Quantity.FromUnits(5),
                Volume = Quantity.FromUnits(1000 + i), Open = Price.FromDecimal(2900), High = Price.FromDecimal(2910), Low = Price.FromDecimal(2890),
                Bid = ltp, Ask = ltp + Price.FromDecimal(0.05m), Flags = TickFlags.CumulativeVolume, Mode = FeedMode.Full,
            };
            for (int level = 0; level < MarketDepth.Levels; level++)
            {
                tick.Depth.SetBid(level, new DepthLevel(ltp - Price.FromDecimal(level * 0.05m), Quantity.FromUnits(10), 1));
                tick.Depth.SetAsk(level, new DepthLevel(tick.Ask + Price.FromDecimal(level * 0.05m), Quantity.FromUnits(10), 1));
            }

            switch (i % 4)
            {
                case 1:
                    tick.ExchangeTime = tick.ReceiveTime.AddMinutes(5);
                    break;
                case 2:
                    tick.Ltp = Price.FromDecimal(5000);
                    tick.High = tick.Ltp;
                    break;
                case 3:
                    tick.Bid = tick.Ask + tick.Ask;
                    break;
            }

            partition.Process(ref tick);
        }
    }
}
