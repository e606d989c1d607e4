using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Time;

namespace MarketFeed.Tests.TestSupport;

/// <summary>A started hub on a manual clock with a few registered instruments.</summary>
internal sealed class HubFixture : IAsyncDisposable
{
    public HubFixture(HubOptions? options = null, DateTimeOffset? start = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Clock = new ManualTimeProvider(start ?? new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        Hub = new MarketHub(Registry, Subscriptions, options ?? new HubOptions { Partitions = 2 }, Clock, logger);
        Reliance = Registry.Register(TestInstruments.Equity("RELIANCE"));
        Infy = Registry.Register(TestInstruments.Equity("INFY"));
        Btc = Registry.Register(TestInstruments.Crypto());
        Hub.Start();
    }

    public ManualTimeProvider Clock { get; }

    public InstrumentRegistry Registry { get; } = new();

    public SubscriptionManager Subscriptions { get; } = new();

    public MarketHub Hub { get; }

    public Instrument Reliance { get; }

    public Instrument Infy { get; }

    public Instrument Btc { get; }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public HubSubscriber Watch(Instrument instrument, SubscriberOptions? options = null)
    {
        HubSubscriber subscriber = Hub.CreateSubscriber(options ?? new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
        Hub.Watch(subscriber, instrument.Id);
        Subscriptions.Acquire(instrument.Id, FeedMode.Quote);
        return subscriber;
    }

    public Tick TickOf(Instrument instrument, decimal ltp, long cumulativeVolume = 0, DateTime? at = null) => new(instrument.Id)
    {
        ExchangeTime = at ?? Now,
        ReceiveTime = Now,
        Ltp = Price.FromDecimal(ltp),
        Volume = cumulativeVolume > 0 ? Quantity.FromUnits(cumulativeVolume) : Quantity.None,
        Flags = cumulativeVolume > 0 ? TickFlags.CumulativeVolume : TickFlags.None,
        Mode = FeedMode.Quote,
    };

    public async Task PublishAsync(params Tick[] ticks)
    {
        foreach (Tick tick in ticks)
        {
            await Hub.PublishAsync(tick);
        }

        await Hub.FlushAsync();
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Hub.FlushAsync();
    }

    public static List<Tick> Drain(HubSubscriber subscriber)
    {
        var ticks = new List<Tick>();
        while (subscriber.TryReadTick(out Tick tick))
        {
            ticks.Add(tick);
        }

        return ticks;
    }

    public static List<CandleEvent> DrainCandles(HubSubscriber subscriber)
    {
        var candles = new List<CandleEvent>();
        while (subscriber.TryReadCandle(out CandleEvent candle))
        {
            candles.Add(candle);
        }

        return candles;
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
