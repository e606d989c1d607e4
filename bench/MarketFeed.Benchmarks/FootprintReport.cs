using System.Runtime.CompilerServices;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Memory per instrument in the hub (quote slot, admission state, three candle series, registry entry, lease) and
/// per stored candle, measured as allocated bytes while 10,000 instruments each receive their first tick.
/// </summary>
internal static class FootprintReport
{
    public static void Run()
    {
        const int count = 10_000;
        var registry = new InstrumentRegistry();
        var subscriptions = new SubscriptionManager();
        var hub = new MarketHub(registry, subscriptions, new HubOptions { Partitions = 1 });
        SessionCalendar calendar = SessionCalendar.IndianEquity.AroundTheClock();
        var definitions = Enumerable.Range(0, count).Select(i => new Instrument
        {
            Exchange = "NSE", TradingSymbol = "EQ" + i, Kind = InstrumentKind.Equity, TickSize = Price.FromScaled(5, 2),
            Calendar = calendar, Feed = "bench", NativeKey = "EQ" + i,
        }).ToArray();
        var ticks = new Tick[count];

        long retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            Instrument instrument = registry.Register(definitions[i]);
            subscriptions.Acquire(instrument.Id, FeedMode.Quote);
            ticks[i] = new Tick(instrument.Id)
            {
                ExchangeTime = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc), Ltp = Price.FromDecimal(100),
                Volume = Quantity.FromUnits(10), Flags = TickFlags.CumulativeVolume, Mode = FeedMode.Quote,
            };
            hub.PartitionOf(instrument.Id).Process(ref ticks[i]);
        }

        long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        long retained = (GC.GetTotalMemory(forceFullCollection: true) - retainedBefore) / count;
        GC.KeepAlive(hub);
        Console.WriteLine("per instrument: quote slot, admission, 1m/5m/15m series, registry entry, lease, hub indexes");
        Console.WriteLine($"  retained on the heap: {retained} B");
        Console.WriteLine($"  allocated (includes garbage from growing arrays): {allocated} B");
        Console.WriteLine($"stored candle (history ring slot): {Unsafe.SizeOf<Candle>()} B");
        Console.WriteLine($"tick struct (with 5+5 depth): {Unsafe.SizeOf<Tick>()} B");
    }
}
