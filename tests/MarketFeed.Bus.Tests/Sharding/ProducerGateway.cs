using System.Collections.Concurrent;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>
/// One producing gateway of the end-to-end test: a host on the simulator whose publisher owns some shards of the bus,
/// and a subscriber recording every tick its hub admitted for the instruments it publishes, by (symbol, receive time).
/// </summary>
internal sealed class ProducerGateway : IAsyncDisposable
{
    public static readonly HubOptions Hub = new() { Candles = new CandleOptions { Intervals = ["2s"] } };

    private ProducerGateway(MarketFeedHost host, SimulatorFeed simulator, BusPublisher publisher, MarketSubscription watch, string[] symbols)
    {
        Host = host;
        Simulator = simulator;
        Publisher = publisher;
        Watch = watch;
        Symbols = symbols;
    }

    public MarketFeedHost Host { get; }

    public SimulatorFeed Simulator { get; }

    public BusPublisher Publisher { get; }

    public MarketSubscription Watch { get; }

    /// <summary>The instruments it publishes: those of the universe on the shards it owns.</summary>
    public string[] Symbols { get; }

    /// <summary>Every tick its hub admitted, by instrument, in order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<Tick>> Ticks { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a producer; every tick its hub admits is added to <paramref name="produced"/> under (symbol, receive time).
    /// Several ticks can share a key: a crashed producer and its restart run side by side for a moment, each with its
    /// own simulator of the same instruments on the same clock.
    /// </summary>
    public static async Task<ProducerGateway> StartAsync(BusOptions options, IEnumerable<string> universe, ConcurrentDictionary<(string, DateTime), ConcurrentQueue<Tick>> produced)
    {
        var simulator = new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 20, Books = false }, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([simulator], Hub);
        IReadOnlyList<int> owned = options.OwnedShards();
        string[] symbols = [.. universe.Where(s => owned.Contains(BusContract.ShardOf(s, options.Shards)))];
        options.Symbols = string.Join(',', symbols);
        MarketSubscription watch = host.Subscribe(symbols, new SubscriberOptions { TickCapacity = 1 << 16 });
        var gateway = new ProducerGateway(host, simulator, BusPublisher.Start(host, options), watch, symbols);
        watch.OnTick(tick =>
        {
            string symbol = host.Instruments.TryGet(tick.Instrument, out Instrument? instrument) ? instrument.Symbol : "?";
            produced.GetOrAdd((symbol, tick.ReceiveTime), _ => new ConcurrentQueue<Tick>()).Enqueue(tick);
            gateway.Ticks.GetOrAdd(symbol, _ => new ConcurrentQueue<Tick>()).Enqueue(tick);
        });
        return gateway;
    }

    public int Count(string symbol) => Ticks.TryGetValue(symbol, out ConcurrentQueue<Tick>? ticks) ? ticks.Count : 0;

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Watch.DisposeAsync();
        await Host.DisposeAsync();
    }
}
