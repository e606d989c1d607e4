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
    public async Task While_the_stream_and_rest_are_both_down_the_error_shown_names_both_through_every_new_failure()
    {
        // The stream is refused (a new failed attempt every backoff) and every REST round fails: whichever failed last,
        // the feed's error must keep saying both are down — a user reading only "connection refused" would wait for
        // REST polling that is not coming.
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "refuse");
        var poller = new TimingOutPoller(venue.Feed.Rest) { TimeOut = true };
        var health = new FeedHealth("kite-both-down", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-both-down", venue.Feed.Protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _), poller);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");

        await SimulatedHost.WaitUntil(() => health.State == FeedState.Disconnected, 10_000);
        int pollsFailed = poller.TimedOut;
        var watching = System.Diagnostics.Stopwatch.StartNew();
        while (watching.Elapsed < TimeSpan.FromSeconds(3) || poller.TimedOut < pollsFailed + 2)
        {
            Assert.True(watching.Elapsed < TimeSpan.FromSeconds(30), $"only {poller.TimedOut - pollsFailed} more REST rounds failed in 30 s");
            Assert.Equal(FeedState.Disconnected, health.State);
            string error = health.LastError ?? "(none)";
            Assert.True(error.Contains("stream down (", StringComparison.Ordinal) && error.Contains("REST polling failed", StringComparison.Ordinal), error);
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await running;
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

    [Fact]
    public async Task A_rest_rejection_that_lands_after_the_stream_came_back_does_not_mark_the_flowing_feed_auth_failed()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "refuse");
        var poller = new LateRejectingPoller(venue.Feed.Rest);
        var health = new FeedHealth("kite-late-403", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-late-403", venue.Feed.Protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _), poller);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Polling);

        // A round is under way (answered late, whatever its cancellation) when the stream comes back.
        poller.HoldNext = true;
        await SimulatedHost.WaitUntil(() => poller.Holding);
        venue.Emulator.Faults.RefuseStream = false;
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected);
        poller.Reject();
        await SimulatedHost.WaitUntil(() => poller.Rejected);
        await Task.Delay(500);
        Assert.Equal(FeedState.Connected, health.State);

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

    /// <summary>Polls through Kite; a held round ignores its cancellation and ends in a 403 when told to.</summary>
    private sealed class LateRejectingPoller(IQuotePoller inner) : IQuotePoller
    {
        private readonly TaskCompletionSource _reject = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hold;

        public bool HoldNext { set => Volatile.Write(ref _hold, value ? 1 : 0); }

        public volatile bool Holding;

        public volatile bool Rejected;

        public TimeSpan Interval => inner.Interval;

        public void Reject() => _reject.TrySetResult();

        public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _hold, 0) == 0)
            {
                return await inner.PollAsync(instruments, cancellationToken);
            }

            Holding = true;
            await _reject.Task;
            Rejected = true;
            throw new AuthenticationRejectedException("Kite REST rejected the credentials (TokenException): refresh Kite:AccessToken");
        }
    }
}
