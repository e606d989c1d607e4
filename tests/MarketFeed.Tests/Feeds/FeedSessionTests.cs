using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Tests.Feeds;

/// <summary>The shared session's sharding, with the real Kite protocol and emulator but small limits.</summary>
public class FeedSessionTests
{
    [Fact]
    public async Task Instruments_are_spread_across_connections_within_the_limits_and_the_excess_is_counted()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var limited = new LimitedProtocol(venue.Feed.Protocol, new ShardingLimits(InstrumentsPerConnection: 2, Connections: 3, InstrumentsPerMessage: 1));
        var health = new FeedHealth("kite-sharded", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var session = new FeedSession("kite-sharded", limited, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);

        string[] symbols = ["NSE:INFY", "NSE:TCS", "NSE:SBIN", "NSE:ITC", "NSE:LT", "NSE:HDFCBANK", "NSE:ICICIBANK"];
        await using MarketSubscription sub = venue.Host.Subscribe(symbols);
        await SimulatedHost.WaitUntil(() => health.Connections == 3 && health.State == FeedState.Connected);
        Assert.Equal(1, session.OverCapacity);

        // Six instruments deliver; every subscribe message carried a single token (InstrumentsPerMessage = 1).
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() >= 6);
        Assert.Equal(6, ticks.Select(t => t.Instrument).Distinct().Count());
        Assert.All(limited.SubscribeMessages.Where(m => m.Contains("\"subscribe\"", StringComparison.Ordinal)), m => Assert.DoesNotContain(",", m.Split('[')[1], StringComparison.Ordinal));

        await stop.CancelAsync();
        await running;
    }

    private sealed class LimitedProtocol(IStreamProtocol inner, ShardingLimits limits) : IStreamProtocol
    {
        public List<string> SubscribeMessages { get; } = [];

        public ShardingLimits Limits => limits;

        public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => inner.PrepareAsync(connection, cancellationToken);

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
        {
            List<ControlMessage> messages = [.. inner.Subscribe(batch)];
            lock (SubscribeMessages)
            {
                SubscribeMessages.AddRange(messages.Select(m => m.ToString()));
            }

            return messages;
        }

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => inner.Unsubscribe(batch);

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) => inner.Decode(in frame, events);
    }
}
