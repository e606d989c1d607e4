using MarketFeed.Books;
using MarketFeed.Candles;

namespace MarketFeed.Hub;

/// <summary>Hub settings with their defaults. Bound from configuration section <c>Hub</c>.</summary>
public sealed class HubOptions
{
    /// <summary>Pipelines (single writers); instruments are assigned by id. Default: processors − 1, between 1 and 4.</summary>
    public int Partitions { get; init; } = Math.Clamp(Environment.ProcessorCount - 1, 1, 4);

    /// <summary>Events a partition's ingest queue holds before producers wait. Default 65,536.</summary>
    public int IngestCapacity { get; init; } = 65_536;

    /// <summary>How often the clock closes due candles. Default 100 ms, so a bar closes at most this long after boundary + grace.</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The narrowest outlier band: a tick whose price moves more than this percent from the reference price (the last
    /// accepted one) is flagged an outlier, unless the instrument's own recent moves are larger — the band widens to
    /// eight of its recent tick-to-tick standard deviations (at most 50 %) — or the move is three ticks or less. Default 10 %.
    /// </summary>
    public decimal OutlierBandPercent { get; init; } = 10m;

    /// <summary>Consecutive outliers at a consistent new level after which that level is accepted as real. Default 3.</summary>
    public int OutlierConfirmations { get; init; } = 3;

    /// <summary>An exchange time further than this ahead of the receive time is rejected as invalid. Default 10 minutes.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An exchange time further than this ahead of the receive time (but within <see cref="MaxClockSkew"/>) is not
    /// trusted: the tick is delivered and becomes the latest quote, flagged <c>ClockAhead</c>, but it does not advance
    /// the instrument's ordering clock and candles bucket it by its receive time. Default 2 s.
    /// </summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An instrument with no update for this long while its session is open is stale. Default 5 s.</summary>
    public TimeSpan StalenessWindow { get; init; } = TimeSpan.FromSeconds(5);

    public CandleOptions Candles { get; init; } = new();

    /// <summary>Order books (depth shown, levels kept, diffs kept while resyncing). Section <c>Hub:Books</c>.</summary>
    public BookOptions Books { get; init; } = new();

    internal void Validate()
    {
        if (Partitions < 1 || Partitions > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Partitions), Partitions, "Hub:Partitions must be 1 to 64.");
        }

        if (IngestCapacity < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(IngestCapacity), IngestCapacity, "Hub:IngestCapacity must be at least 16.");
        }

        if (MaxClockSkew <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxClockSkew), MaxClockSkew, "Hub:MaxClockSkew must be positive.");
        }

        if (FutureTolerance < TimeSpan.Zero || FutureTolerance > MaxClockSkew)
        {
            throw new ArgumentOutOfRangeException(nameof(FutureTolerance), FutureTolerance, "Hub:FutureTolerance must be between 0 and Hub:MaxClockSkew.");
        }

        if (OutlierBandPercent <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(OutlierBandPercent), OutlierBandPercent, "Hub:OutlierBandPercent must be positive.");
        }

        _ = Candles.ParsedIntervals();
        Books.Validate();
    }
}
