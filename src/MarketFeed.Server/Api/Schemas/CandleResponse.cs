namespace MarketFeed.Server.Api.Schemas;

/// <summary>One candle (written by <c>CandleJson</c>): session-aligned, <c>closed</c> false for the forming one.</summary>
internal sealed class CandleResponse
{
    /// <summary>Always <c>candle</c>.</summary>
    public required string Type { get; init; }

    public required string Symbol { get; init; }

    /// <summary>The interval label, e.g. <c>1m</c>, <c>3m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public required string Interval { get; init; }

    /// <summary>The series' event number on streams; absent on candles read over HTTP.</summary>
    public long? Seq { get; init; }

    /// <summary>Start of the bar, in the exchange's time zone.</summary>
    public required DateTimeOffset Start { get; init; }

    public required decimal? Open { get; init; }

    public required decimal? High { get; init; }

    public required decimal? Low { get; init; }

    public required decimal? Close { get; init; }

    public required decimal? Volume { get; init; }

    /// <summary>Ticks that went into the bar.</summary>
    public required long Ticks { get; init; }

    public required bool Closed { get; init; }

    /// <summary>
    /// Where the bar came from: <c>live</c> (built here from ticks), <c>history</c> (loaded from the candle store or the
    /// venue's history), <c>revised</c> (a live bar replaced by the venue's own candle) or <c>backfilled</c> (a bar
    /// not seen live, fetched afterwards).
    /// </summary>
    public required string Origin { get; init; }

    /// <summary>True for a bar that holds only part of its interval (its series started watching after the bar began).</summary>
    public bool? Partial { get; init; }

    /// <summary>True for a bar filled in for an interval without trades (open = high = low = close = previous close).</summary>
    public bool? Flat { get; init; }
}
