using MarketFeed.Instruments;

namespace MarketFeed.Feeds;

/// <summary>
/// A feed whose venue says which of its markets are open (a status message on the stream). Health then shows an
/// instrument of a market the venue reports closed as <c>closed</c>, not <c>stale</c>.
/// </summary>
public interface IMarketSessionSource
{
    /// <summary>True or false when the venue has said whether the instrument's market is open now; null when it has not.</summary>
    bool? IsSessionOpen(Instrument instrument);
}
