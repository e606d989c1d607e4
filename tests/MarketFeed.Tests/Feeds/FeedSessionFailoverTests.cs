using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>REST failover of the feed session: its state says whether REST rounds really deliver.</summary>
public class FeedSessionFailoverTests
{
    [Fact]
    public async Task A_rest_round_that_times_out_is_a_poll_failure_and_the_feed_is_not_shown_polling()
    {
        // The stream is refused, so the session polls; then every REST call times out the way HttpClient does
        // (TaskCanceledException, the round's own token never cancelled). That is REST failing, not a stale round.
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "refuse");
        var poller = new TimingOutPoller(venue.Feed.Rest);
        var health = new FeedHealth("kite-timeouts", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-timeouts", venue.Feed.Protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _), poller);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");

        await SimulatedHost.WaitUntil(() => health.State == FeedState.Polling);
        poller.TimeOut = true;
        await SimulatedHost.WaitUntil(() => poller.TimedOut >= 2);
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Disconnected, 5_000);
        Assert.True(health.PollFailures >= 1, $"{health.PollFailures} poll failures counted after {poller.TimedOut} timed-out rounds");

        poller.TimeOut = false;
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Polling);

        await stop.CancelAsync();
        await running;
        Assert.Equal(FeedState.Stopped, health.State);
    }

    [Fact]
    public async Task Credentials_changed_while_an_attempt_is_in_flight_still_end_the_wait_after_its_rejection()
    {
        // The token is fixed (and the reload notified) while a connection attempt with the old token is under way:
        // that attempt is rejected, and the retry must not then wait out the 30 s auth retry delay.
        await using KiteVenue venue = await KiteVenue.StartAsync();
        venue.Configuration["Kite:AccessToken"] = "expired-token";
        var health = new FeedHealth("kite-reload", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        FeedSessionOptions options = venue.Feed.Options().Stream;
        options.AuthRetryDelay = TimeSpan.FromSeconds(30);
        var protocol = new FixingProtocol(venue.Feed.Protocol, () => venue.Configuration["Kite:AccessToken"] = "emulator-token");
        var session = new FeedSession("kite-reload", protocol, options, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        protocol.Session = session;
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);

        await SimulatedHost.WaitUntil(() => protocol.Prepared >= 1);
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected, 10_000);
        Assert.Equal(2, protocol.Prepared);

        await stop.CancelAsync();
        await running;
    }

    private sealed class TimingOutPoller(IQuotePoller inner) : IQuotePoller
    {
        private int _timedOut;

        public volatile bool TimeOut;

        public int TimedOut => Volatile.Read(ref _timedOut);

        public TimeSpan Interval => inner.Interval;

        public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
        {
            if (!TimeOut)
            {
                return await inner.PollAsync(instruments, cancellationToken);
            }

            await Task.Delay(50, cancellationToken);
            Interlocked.Increment(ref _timedOut);
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 15 seconds elapsing.", new TimeoutException());
        }
    }

    /// <summary>Builds the first endpoint with the credentials of the moment, then has them fixed and the reload notified.</summary>
    private sealed class FixingProtocol(IStreamProtocol inner, Action fix) : IStreamProtocol
    {
        private int _prepared;

        public FeedSession? Session { get; set; }

        public int Prepared => Volatile.Read(ref _prepared);

        public ShardingLimits Limits => inner.Limits;

        public async ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
        {
            StreamEndpoint endpoint = await inner.PrepareAsync(connection, cancellationToken);
            if (Interlocked.Increment(ref _prepared) == 1)
            {
                fix();
                Session!.NotifyCredentialsChanged();
            }

            return endpoint;
        }

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch) => inner.Subscribe(batch);

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => inner.Unsubscribe(batch);

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) => inner.Decode(in frame, events);
    }
}
