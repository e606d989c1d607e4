using MarketFeed.Instruments;

namespace MarketFeed.Feeds;

/// <summary>
/// A source of market data: the simulator, a venue adapter, a replay. The host loads its instruments, then runs it;
/// the feed follows the desired set in <see cref="FeedContext.Subscriptions"/> (subscribe, unsubscribe, mode, and a
/// full replay after every reconnect) and publishes normalized ticks into <see cref="FeedContext.Sink"/>.
/// </summary>
public interface IFeed : IAsyncDisposable
{
    /// <summary>The feed name users type (<c>--feed NAME</c>); also <see cref="Instrument.Feed"/> of its instruments.</summary>
    string Name { get; }

    FeedHealth Health { get; }

    /// <summary>Registers the feed's instrument master.</summary>
    Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken);

    /// <summary>Runs until cancelled. Failures are reported through <see cref="Health"/>, not thrown.</summary>
    Task RunAsync(FeedContext context, CancellationToken cancellationToken);

    /// <summary>Setup checks for <c>marketfeed doctor</c>: configuration, credentials present, instrument file, connectivity.</summary>
    Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken);
}
