using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;

namespace MarketFeed.Tests.History;

/// <summary>
/// The simulator in a host on a manual clock, with reconciliation on, one instrument subscribed at 1m; the simulator's
/// history is its whole path (every move, the minute's real volume) while live bars are built from the ticks the test
/// emits, so the two differ the way a venue's official candles differ from snapshot-built bars.
/// </summary>
internal sealed class SimulatedReconciliation : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _collecting;

    private SimulatedReconciliation(MarketFeedHost host, SimulatorFeed feed, ManualTimeProvider clock, MarketSubscription subscription, Instrument instrument)
    {
        Host = host;
        Feed = feed;
        Clock = clock;
        Subscription = subscription;
        Instrument = instrument;
        _collecting = Task.WhenAll(CollectClosesAsync(_stop.Token), CollectRevisionsAsync(_stop.Token));
    }

    public MarketFeedHost Host { get; }

    public SimulatorFeed Feed { get; }

    public ManualTimeProvider Clock { get; }

    public MarketSubscription Subscription { get; }

    public Instrument Instrument { get; }

    public Reconciler Reconciler => Host.Reconciliation!;

    /// <summary>Live closes delivered to the subscriber, in order.</summary>
    public List<Candle> Closes { get; } = [];

    /// <summary>Revisions delivered to the subscriber, in order.</summary>
    public List<CandleRevision> Revisions { get; } = [];

    public Lock Gate { get; } = new();

    /// <summary>With <paramref name="store"/>, closes, revisions and backfills are written to it too.</summary>
    public static async Task<SimulatedReconciliation> StartAsync(
        ReconciliationOptions options, string symbol = "NSE:INFY", ICandleStore? store = null, CandleInterval? interval = null, SimulatorOptions? simulator = null)
    {
        CandleInterval series = interval ?? CandleInterval.OneMinute;
        var hubOptions = new HubOptions { Partitions = 2, Candles = new CandleOptions { Intervals = [series.Label], HistoryBars = 0 } };
        (MarketFeedHost host, SimulatorFeed feed, ManualTimeProvider clock) = await SimulatedHost.StartAsync(simulator, hubOptions);
        if (store is not null)
        {
            host.UseCandleStore(store);
        }

        host.StartReconciliation(options);
        MarketSubscription subscription = host.Subscribe([symbol], new SubscriberOptions { CandleIntervals = [series] });
        return new SimulatedReconciliation(host, feed, clock, subscription, host.Resolve(symbol));
    }

    /// <summary>Moves the clock to <paramref name="until"/> in steps of <paramref name="step"/>, emitting a tick each step when <paramref name="ticks"/>.</summary>
    public async Task DriveAsync(DateTime until, TimeSpan step, bool ticks = true)
    {
        while (Clock.GetUtcNow().UtcDateTime < until)
        {
            TimeSpan left = until - Clock.GetUtcNow().UtcDateTime;
            Clock.Advance(left < step ? left : step);
            if (ticks)
            {
                await Feed.EmitAsync(1);
            }

            await Host.Hub.FlushAsync();
        }
    }

    /// <summary>Advances the clock a second at a time (no ticks) until <paramref name="condition"/> holds; the reconciler works in real time between steps.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, int maxSeconds = 600)
    {
        for (int i = 0; i < maxSeconds && !condition(); i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Host.Hub.FlushAsync();
            await Task.Delay(i % 10 == 0 ? 30 : 5);
        }

        await SimulatedHost.WaitUntil(condition);
    }

    public async Task<IReadOnlyList<Candle>> VenueBarsAsync(DateTime endUtc, int count) =>
        await Feed.GetHistoryAsync(Instrument, CandleInterval.OneMinute, endUtc, count, CancellationToken.None);

    public async Task<IReadOnlyList<Candle>> LiveBarsAsync() =>
        (await Host.Hub.GetCandlesAsync(Instrument.Id, CandleInterval.OneMinute, 100)).Closed;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _collecting;
        await Subscription.DisposeAsync();
        await Host.DisposeAsync();
    }

    private async Task CollectClosesAsync(CancellationToken token)
    {
        try
        {
            await foreach (CandleEvent candle in Subscription.Candles(token))
            {
                if (candle.IsClose)
                {
                    lock (Gate)
                    {
                        Closes.Add(candle.Candle);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CollectRevisionsAsync(CancellationToken token)
    {
        try
        {
            await foreach (CandleRevision revision in Subscription.Revisions(token))
            {
                lock (Gate)
                {
                    Revisions.Add(revision);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
