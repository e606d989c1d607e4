using MarketFeed.Instruments;

namespace MarketFeed.Feeds;

/// <summary>
/// A feed that can say what open interest its derivatives had at the close of the previous trading day — from the
/// stream where the venue sends it, else from its REST history within the venue's rate limits. Option chains measure
/// OI change from it; without it they can only measure from the first OI they saw this session.
/// </summary>
public interface IPreviousOpenInterestSource
{
    /// <summary>
    /// The previous day's closing OI of those <paramref name="instruments"/> known now, each as soon as it is had.
    /// An instrument left out is not known (yet): a stream may still deliver it, a contract listed today has none.
    /// Transport failures are thrown; the caller may ask again later.
    /// </summary>
    IAsyncEnumerable<PreviousOpenInterest> GetPreviousOpenInterestAsync(IReadOnlyList<Instrument> instruments, CancellationToken cancellationToken);
}
