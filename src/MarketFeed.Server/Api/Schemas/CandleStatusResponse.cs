namespace MarketFeed.Server.Api.Schemas;

/// <summary>Where the bars of each candle series of one instrument came from (written by <c>CandleStatusJson</c>).</summary>
internal sealed class CandleStatusResponse
{
    public required string Symbol { get; init; }

    /// <summary>Every series the gateway keeps for the instrument.</summary>
    public required CandleSeriesStatusResponse[] Series { get; init; }

    internal sealed class CandleSeriesStatusResponse
    {
        /// <summary>The interval label, e.g. <c>1m</c>, <c>3m</c>, <c>1d</c>.</summary>
        public required string Interval { get; init; }

        /// <summary>The closed bars the series holds, counted by origin.</summary>
        public required CandleOriginCountsResponse Bars { get; init; }

        /// <summary>The series' bootstrap: <c>none</c> (nothing to load from), <c>loading</c>, <c>loaded</c> or <c>failed</c>.</summary>
        public required string Load { get; init; }

        /// <summary>When the last load finished, in the exchange's time zone; null while loading.</summary>
        public DateTimeOffset? LoadedAt { get; init; }

        /// <summary>Bars the load took from the candle store.</summary>
        public int? FromStore { get; init; }

        /// <summary>Bars the load took from the venue's history (after normalization).</summary>
        public int? FromVenue { get; init; }

        /// <summary>Of those, bars filling the hole between the last stored bar and the load (the gateway was not running).</summary>
        public int? Backfilled { get; init; }

        /// <summary>History requests made of the venue (each may be several REST pages).</summary>
        public int? VenueRequests { get; init; }

        /// <summary>Bars of the venue's answers skipped by normalization (outside every session, duplicated, not ended, impossible prices).</summary>
        public int? Skipped { get; init; }

        /// <summary>Why the load failed.</summary>
        public string? Error { get; init; }
    }

    internal sealed class CandleOriginCountsResponse
    {
        /// <summary>Built here from live ticks.</summary>
        public required int Live { get; init; }

        /// <summary>Loaded from the candle store or the venue's history.</summary>
        public required int History { get; init; }

        /// <summary>Live bars replaced by the venue's own candle.</summary>
        public required int Revised { get; init; }

        /// <summary>Bars not seen live, fetched from the venue afterwards.</summary>
        public required int Backfilled { get; init; }
    }
}
