using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>Make before break: a venue's shutdown notice moves the connection to a new socket without a drop.</summary>
public class FeedSessionHandoverTests
{
    [Fact]
    public async Task A_shutdown_notice_hands_over_to_a_new_socket_counted_as_a_handover_not_a_reconnect()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var protocol = new ShutdownNoticeProtocol(venue.Feed.Protocol);
        var health = new FeedHealth("kite-handover", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-handover", protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected && protocol.Ticks > 0);

        protocol.NoticeNextText = true;
        venue.Emulator.Faults.OddText = true;
        await SimulatedHost.WaitUntil(() => health.Handovers == 1);
        venue.Emulator.Faults.OddText = false;
        long ticks = protocol.Ticks;
        await SimulatedHost.WaitUntil(() => protocol.Ticks > ticks + 5);

        Assert.Equal(FeedState.Connected, health.State);
        Assert.Equal(0, health.Reconnects);
        Assert.Equal(1, health.Handovers);

        // The replaced socket is closed: the emulator holds the host's own Kite connection and this session's one.
        await SimulatedHost.WaitUntil(() => venue.Emulator.Connections == 2);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_socket_that_ends_while_its_replacement_is_still_opening_is_not_shown_connected_meanwhile()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var protocol = new ShutdownNoticeProtocol(venue.Feed.Protocol);
        var health = new FeedHealth("kite-handover", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-handover", protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected && protocol.Ticks > 0);

        // The notice starts the replacement, whose preparation is held; then the old socket is lost.
        protocol.HoldNextPrepare = true;
        protocol.NoticeNextText = true;
        venue.Emulator.Faults.OddText = true;
        await SimulatedHost.WaitUntil(() => protocol.PrepareHeld);
        venue.Emulator.Faults.OddText = false;
        venue.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => health.State != FeedState.Connected, 3_000);
        Assert.Equal(0, health.Connections);

        protocol.ReleasePrepare();
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected);
        long ticks = protocol.Ticks;
        await SimulatedHost.WaitUntil(() => protocol.Ticks > ticks + 5);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_replacement_that_never_opens_is_abandoned_and_the_connection_reconnects()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync();
        var protocol = new ShutdownNoticeProtocol(venue.Feed.Protocol);
        var health = new FeedHealth("kite-handover", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        FeedSessionOptions options = venue.Feed.Options().Stream;
        options.ConnectTimeout = TimeSpan.FromSeconds(1);
        var session = new FeedSession("kite-handover", protocol, options, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected && protocol.Ticks > 0);

        // The replacement's preparation hangs for good; the old socket is lost.
        protocol.HoldNextPrepare = true;
        protocol.NoticeNextText = true;
        venue.Emulator.Faults.OddText = true;
        await SimulatedHost.WaitUntil(() => protocol.PrepareHeld);
        venue.Emulator.Faults.OddText = false;
        venue.Emulator.DropConnections();

        await SimulatedHost.WaitUntil(() => health.Reconnects == 1 && health.State == FeedState.Connected, 10_000);
        long ticks = protocol.Ticks;
        await SimulatedHost.WaitUntil(() => protocol.Ticks > ticks + 5);
        Assert.Equal(0, health.Handovers);

        await stop.CancelAsync();
        await running;
    }

    /// <summary>Kite with one text frame turned into the venue's "this connection is shutting down" notice.</summary>
    private sealed class ShutdownNoticeProtocol(IStreamProtocol inner) : IStreamProtocol
    {
        private int _notice;
        private long _ticks;

        public bool NoticeNextText { set => Volatile.Write(ref _notice, value ? 1 : 0); }

        public long Ticks => Interlocked.Read(ref _ticks);

        public ShardingLimits Limits => inner.Limits;

        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hold;
        private volatile bool _held;

        /// <summary>The next prepare step waits for <see cref="ReleasePrepare"/>.</summary>
        public bool HoldNextPrepare { set => Volatile.Write(ref _hold, value ? 1 : 0); }

        public bool PrepareHeld => _held;

        public void ReleasePrepare() => _release.TrySetResult();

        public async ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _hold, 0) == 1)
            {
                _held = true;
                await _release.Task.WaitAsync(cancellationToken);
            }

            return await inner.PrepareAsync(connection, cancellationToken);
        }

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch) => inner.Subscribe(batch);

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => inner.Unsubscribe(batch);

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
        {
            if (frame.IsText)
            {
                return Interlocked.Exchange(ref _notice, 0) == 1 ? FrameOutcome.ServerShutdown("maintenance") : FrameOutcome.Ok;
            }

            FrameOutcome outcome = inner.Decode(in frame, events);
            Interlocked.Add(ref _ticks, events.Ticks.Count);
            return outcome;
        }
    }
}
