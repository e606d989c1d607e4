using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// One consumer's claim on (instrument, mode). Disposing releases it exactly once; when the last lease on an
/// instrument goes, the instrument leaves the desired set and the feed unsubscribes.
/// </summary>
public sealed class Lease : IDisposable
{
    private readonly SubscriptionManager _owner;
    private int _released;

    internal Lease(SubscriptionManager owner, InstrumentId instrument, FeedMode mode)
    {
        _owner = owner;
        Instrument = instrument;
        Mode = mode;
    }

    public InstrumentId Instrument { get; }

    public FeedMode Mode { get; }

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(Instrument, Mode);
        }
    }
}
