using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Tests.Feeds;

public class ControlBatchTests
{
    private static readonly InstrumentId s_a = new(1);
    private static readonly InstrumentId s_b = new(2);
    private static readonly InstrumentId s_c = new(3);

    [Fact]
    public void A_burst_of_changes_drains_per_connection_with_the_latest_mode_and_unsubscribes_first()
    {
        var batch = new ControlBatch();
        batch.Subscribe(1, s_c, FeedMode.Ltp);
        batch.Subscribe(0, s_a, FeedMode.Ltp);
        batch.Subscribe(0, s_b, FeedMode.Quote);
        batch.Subscribe(0, s_a, FeedMode.Full);
        batch.Unsubscribe(1, s_b);

        var drained = batch.Drain();
        Assert.True(batch.IsEmpty);
        Assert.Equal([0, 1], drained.Select(d => d.Shard));
        Assert.Equal([new DesiredSubscription(s_a, FeedMode.Full), new DesiredSubscription(s_b, FeedMode.Quote)], drained[0].Subscribe);
        Assert.Empty(drained[0].Unsubscribe);
        Assert.Equal([s_b], drained[1].Unsubscribe);
        Assert.Equal([new DesiredSubscription(s_c, FeedMode.Ltp)], drained[1].Subscribe);
        Assert.Empty(batch.Drain());
    }

    [Fact]
    public void An_instrument_dropped_in_the_burst_that_added_it_is_not_subscribed()
    {
        var batch = new ControlBatch();
        batch.Subscribe(0, s_a, FeedMode.Quote);
        batch.Unsubscribe(0, s_a);
        (int shard, InstrumentId[] unsubscribe, DesiredSubscription[] subscribe) = Assert.Single(batch.Drain());
        Assert.Equal(0, shard);
        Assert.Equal([s_a], unsubscribe);
        Assert.Empty(subscribe);
    }

    [Fact]
    public void Sending_chunks_by_the_venues_message_size_and_one_unphraseable_instrument_costs_only_itself()
    {
        var batch = new ControlBatch();
        foreach (InstrumentId id in new[] { s_a, s_b, s_c })
        {
            batch.Subscribe(0, id, FeedMode.Ltp);
        }

        batch.Unsubscribe(1, new InstrumentId(9));
        var sent = new List<(int Shard, string Message)>();
        var failures = new List<Exception>();
        batch.Send(new RefusingProtocol(s_b), (shard, messages) => sent.AddRange(messages.Select(m => (shard, m.ToString()))), failures.Add);

        Assert.Equal([(0, "sub 1"), (0, "sub 3"), (1, "unsub 9")], sent.OrderBy(s => s.Shard).ThenBy(s => s.Message));
        Assert.Single(failures);
        Assert.True(batch.IsEmpty);
    }

    private sealed class RefusingProtocol(InstrumentId refused) : IStreamProtocol
    {
        public ShardingLimits Limits { get; } = new(100, 2, InstrumentsPerMessage: 2);

        public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch) =>
            batch.Any(d => d.Instrument == refused) ? throw new InvalidOperationException("cannot phrase") : [ControlMessage.Text("sub " + string.Join(',', batch.Select(d => d.Instrument)))];

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => [ControlMessage.Text("unsub " + string.Join(',', batch))];

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) => FrameOutcome.Ok;
    }
}
