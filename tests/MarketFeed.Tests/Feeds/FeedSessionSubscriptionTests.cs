using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>A connection's share of the desired set across reconnects: no change lost, no bad instrument keeping it down.</summary>
public class FeedSessionSubscriptionTests
{
    [Fact]
    public async Task An_instrument_wanted_while_a_reconnect_replays_its_share_is_still_subscribed()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var protocol = new HookedProtocol(venue.Feed.Protocol);
        (FeedSession session, FeedHealth health) = Create(venue, protocol);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        InstrumentId infy = venue.Host.Resolve("NSE:INFY").Id;
        InstrumentId tcs = venue.Host.Resolve("NSE:TCS").Id;
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await SimulatedHost.WaitUntil(() => protocol.HasDecoded(infy));

        // The reconnect's replay of [INFY] is being phrased when TCS becomes wanted (as a user subscribing would).
        MarketSubscription? later = null;
        protocol.BeforeNextSubscribe = () =>
        {
            _ = Task.Run(() => later = venue.Host.Subscribe("NSE:TCS"));
            SpinWait.SpinUntil(() => protocol.Phrased(tcs), TimeSpan.FromSeconds(2));
            Thread.Sleep(100);
        };
        venue.Emulator.DropConnections();
        try
        {
            await SimulatedHost.WaitUntil(() => protocol.HasDecoded(tcs), 8_000);
        }
        finally
        {
            if (later is not null)
            {
                await later.DisposeAsync();
            }
        }

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task An_instrument_the_protocol_cannot_phrase_does_not_keep_its_connection_down_after_a_drop()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var protocol = new HookedProtocol(venue.Feed.Protocol) { Refused = venue.Host.Resolve("NSE:SBIN").Id };
        (FeedSession session, FeedHealth health) = Create(venue, protocol);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        InstrumentId infy = venue.Host.Resolve("NSE:INFY").Id;
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:SBIN");
        await SimulatedHost.WaitUntil(() => protocol.HasDecoded(infy) && health.HandlerErrors >= 1);

        protocol.ClearDecoded();
        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => protocol.HasDecoded(infy), 8_000);
        Assert.Equal(FeedState.Connected, health.State);

        await stop.CancelAsync();
        await running;
    }

    private static (FeedSession Session, FeedHealth Health) Create(KiteVenue venue, IStreamProtocol protocol)
    {
        var health = new FeedHealth("kite-hooked", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-hooked", protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        return (session, health);
    }

    private sealed class HookedProtocol(IStreamProtocol inner) : IStreamProtocol
    {
        private readonly HashSet<InstrumentId> _decoded = [];
        private readonly HashSet<InstrumentId> _phrased = [];
        private Action? _beforeNextSubscribe;

        /// <summary>Runs once, inside the next <see cref="Subscribe"/> call.</summary>
        public Action? BeforeNextSubscribe { set => Volatile.Write(ref _beforeNextSubscribe, value); }

        /// <summary>Subscribing this instrument throws (a protocol bug for one instrument).</summary>
        public InstrumentId? Refused { get; init; }

        public ShardingLimits Limits => inner.Limits;

        public bool HasDecoded(InstrumentId id)
        {
            lock (_decoded)
            {
                return _decoded.Contains(id);
            }
        }

        public void ClearDecoded()
        {
            lock (_decoded)
            {
                _decoded.Clear();
            }
        }

        public bool Phrased(InstrumentId id)
        {
            lock (_phrased)
            {
                return _phrased.Contains(id);
            }
        }

        public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => inner.PrepareAsync(connection, cancellationToken);

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
        {
            Interlocked.Exchange(ref _beforeNextSubscribe, null)?.Invoke();
            if (batch.Any(d => d.Instrument == Refused))
            {
                throw new InvalidOperationException("bug in subscribe");
            }

            lock (_phrased)
            {
                _phrased.UnionWith(batch.Select(d => d.Instrument));
            }

            return [.. inner.Subscribe(batch)];
        }

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => inner.Unsubscribe(batch);

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
        {
            FrameOutcome outcome = inner.Decode(in frame, events);
            lock (_decoded)
            {
                _decoded.UnionWith(events.Ticks.Select(t => t.Instrument));
            }

            return outcome;
        }
    }
}
