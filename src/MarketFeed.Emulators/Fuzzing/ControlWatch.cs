using System.Collections.Concurrent;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// Reads the control instruments' ticks during a fuzz run (one subscription per mode) and checks each against what the
/// emulator sent: equal, field for field, to a sent tick of that instrument, and numbered without gaps.
/// </summary>
internal sealed class ControlWatch : IAsyncDisposable
{
    private const int MismatchesKept = 3;
    private readonly List<MarketSubscription> _subscriptions = [];
    private readonly Dictionary<InstrumentId, (string Symbol, string Key)> _names = [];
    private readonly ConcurrentDictionary<InstrumentId, Counts> _counts = new();
    private readonly ConcurrentQueue<string> _mismatchSamples = new();
    private readonly SentTickLog _sent;
    private long _mismatches;

    public ControlWatch(MarketFeedHost host, IReadOnlyList<(string Symbol, FeedMode Mode)> controls, SentTickLog sent)
    {
        _sent = sent;
        foreach ((string symbol, _) in controls)
        {
            var instrument = host.Resolve(symbol);
            _names[instrument.Id] = (symbol, instrument.NativeKey);
            _counts[instrument.Id] = new Counts();
        }

        foreach (IGrouping<FeedMode, (string Symbol, FeedMode Mode)> byMode in controls.GroupBy(c => c.Mode))
        {
            MarketSubscription subscription = host.Subscribe(byMode.Select(c => c.Symbol), new SubscriberOptions { Mode = byMode.Key, TickCapacity = 1 << 20 });
            _subscriptions.Add(subscription.OnTick(Check));
        }
    }

    public long Mismatches => Interlocked.Read(ref _mismatches);

    public IEnumerable<string> MismatchSamples => _mismatchSamples;

    /// <summary>Ticks lost between the hub and this reader (a gap in the hub's per-instrument numbering).</summary>
    public long SeqGaps => _counts.Values.Sum(c => Interlocked.Read(ref c.Gaps));

    public IReadOnlyDictionary<string, long> Ticks => _counts.ToDictionary(c => _names[c.Key].Symbol, c => Interlocked.Read(ref c.Value.Ticks));

    /// <summary>The control with the fewest ticks so far, and how many.</summary>
    public long FewestTicks => _counts.Values.Min(c => Interlocked.Read(ref c.Ticks));

    public async ValueTask DisposeAsync()
    {
        foreach (MarketSubscription subscription in _subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Check(Tick tick)
    {
        Counts counts = _counts[tick.Instrument];
        if (counts.LastSeq != 0 && tick.Seq != counts.LastSeq + 1)
        {
            Interlocked.Increment(ref counts.Gaps);
        }

        counts.LastSeq = tick.Seq;
        Interlocked.Increment(ref counts.Ticks);
        (string symbol, string key) = _names[tick.Instrument];
        if (!_sent.WasSent(key, in tick))
        {
            if (Interlocked.Increment(ref _mismatches) <= MismatchesKept)
            {
                _mismatchSamples.Enqueue($"{symbol} ltp {tick.Ltp} at {tick.ExchangeTime:O} ({tick.Mode})");
            }
        }
    }

    private sealed class Counts
    {
        public long Ticks;
        public long Gaps;
        public long LastSeq;
    }
}
