using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Benchmarks;

/// <summary>
/// A hub with <see cref="Instruments"/> wanted NSE equities, the default 1m/5m/15m candles and one subscriber, and a
/// tick generator whose clock advances 1 ms per tick, so bars keep closing and the steady state includes closes.
/// </summary>
internal sealed class HubWorkload
{
    public const int Instruments = 100;

    private readonly Tick[] _templates = new Tick[Instruments];
    private DateTime _now = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private long _volume = 1_000;
    private int _next;

    public HubWorkload()
    {
        var registry = new InstrumentRegistry();
        var subscriptions = new SubscriptionManager();
        Hub = new MarketHub(registry, subscriptions, new HubOptions { Partitions = 1 });
        Subscriber = Hub.CreateSubscriber(new SubscriberOptions { TickCapacity = 4096 });
        Calendar = SessionCalendar.IndianEquity.AroundTheClock();
        for (int i = 0; i < Instruments; i++)
        {
            Instrument instrument = registry.Register(new Instrument
            {
                Exchange = "NSE", TradingSymbol = "EQ" + i, Kind = InstrumentKind.Equity, TickSize = Price.FromScaled(5, 2),
                Calendar = Calendar, Feed = "bench", NativeKey = "EQ" + i,
            });
            subscriptions.Acquire(instrument.Id, FeedMode.Quote);
            Hub.Watch(Subscriber, instrument.Id);
            _templates[i] = new Tick(instrument.Id)
            {
                Ltp = Price.FromDecimal(1000 + i), Bid = Price.FromDecimal(999.95m + i), Ask = Price.FromDecimal(1000.05m + i),
                BidQty = Quantity.FromUnits(100), AskQty = Quantity.FromUnits(120), Ltq = Quantity.FromUnits(10),
                Open = Price.FromDecimal(990 + i), High = Price.FromDecimal(1010 + i), Low = Price.FromDecimal(985 + i),
                Close = Price.FromDecimal(995 + i), Mode = FeedMode.Quote, Flags = TickFlags.CumulativeVolume,
            };
        }

        Partition = Hub.PartitionOf(_templates[0].Instrument);
    }

    public MarketHub Hub { get; }

    public HubSubscriber Subscriber { get; }

    public SessionCalendar Calendar { get; }

    internal HubPartition Partition { get; }

    /// <summary>The next tick: round-robin instrument, clock +1 ms, price wiggles by a tick, cumulative volume grows.</summary>
    public Tick NextTick()
    {
        int index = _next++;
        if (_next == Instruments)
        {
            _next = 0;
        }

        _now = _now.AddTicks(TimeSpan.TicksPerMillisecond);
        _volume += 10;
        Tick tick = _templates[index];
        tick.ExchangeTime = _now;
        tick.ReceiveTime = _now;
        tick.Ltp += Price.FromScaled((index + _volume) % 3 * 5, 2);
        tick.Volume = Quantity.FromUnits(_volume);
        return tick;
    }

    public DateTime Now => _now;

    /// <summary>What a consumer does: take everything pending.</summary>
    public void DrainSubscriber()
    {
        while (Subscriber.TryReadTick(out _))
        {
        }

        while (Subscriber.TryReadCandle(out _))
        {
        }
    }
}
