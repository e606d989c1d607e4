using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Feeds;

/// <summary>
/// The feed session's rule: whatever a venue protocol throws — building the URL, phrasing a subscription, decoding a
/// frame, reading text — is contained to that step, counted, and never ends the connection or the session.
/// </summary>
public class FeedSessionContainmentTests
{
    [Fact]
    public async Task Exceptions_from_the_protocol_are_contained_counted_and_the_connection_keeps_delivering()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "oddtext");
        InstrumentId sbin = venue.Host.Resolve("NSE:SBIN").Id;
        var throwing = new ThrowingProtocol(venue.Feed.Protocol, sbin);
        var health = new FeedHealth("kite-throwing", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var session = new FeedSession("kite-throwing", throwing, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _));
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);

        // The first URL build throws: that attempt fails, the connection retries and comes up.
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY", "NSE:SBIN");
        await using MarketSubscription later = venue.Host.Subscribe("NSE:TCS");
        InstrumentId tcs = venue.Host.Resolve("NSE:TCS").Id;

        // Every 4th binary frame and every text frame throws; subscribing SBIN throws. TCS, subscribed after, still flows.
        await SimulatedHost.WaitUntil(() => throwing.Decoded.Contains(tcs) && throwing.BinaryThrows >= 3 && throwing.TextThrows >= 3, 15_000);
        Assert.True(health.HandlerErrors >= throwing.BinaryThrows + throwing.TextThrows + 2, $"{health.HandlerErrors} handler errors counted");
        Assert.Equal(FeedState.Connected, health.State);
        Assert.Equal(0, health.Reconnects);
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();
        await running;
        Assert.Equal(FeedState.Stopped, health.State);
    }

    private sealed class ThrowingProtocol(IStreamProtocol inner, InstrumentId refused) : IStreamProtocol
    {
        private int _uriBuilds;
        private int _frames;
        private int _binaryThrows;
        private int _textThrows;

        public HashSet<InstrumentId> Decoded { get; } = [];

        public int BinaryThrows => Volatile.Read(ref _binaryThrows);

        public int TextThrows => Volatile.Read(ref _textThrows);

        public ShardingLimits Limits => inner.Limits;

        public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _uriBuilds) == 1 ? throw new InvalidOperationException("bug in the URL builder") : inner.PrepareAsync(connection, cancellationToken);

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch) =>
            batch.Any(d => d.Instrument == refused) ? throw new InvalidOperationException("bug in subscribe") : inner.Subscribe(batch);

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => inner.Unsubscribe(batch);

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
        {
            if (frame.IsText)
            {
                Interlocked.Increment(ref _textThrows);
                throw new InvalidOperationException("bug in the text handler");
            }

            FrameOutcome outcome = inner.Decode(in frame, events);
            if (Interlocked.Increment(ref _frames) % 4 == 0)
            {
                Interlocked.Increment(ref _binaryThrows);
                throw new IndexOutOfRangeException("bug in the decoder");
            }

            lock (Decoded)
            {
                foreach (Tick tick in events.Ticks)
                {
                    Decoded.Add(tick.Instrument);
                }
            }

            return outcome;
        }
    }
}
