namespace MarketFeed.Hub;

/// <summary>Where the bootstrap of one candle series is.</summary>
public enum SeriesLoadState
{
    /// <summary>Nothing to load from: no store and no venue history, or bootstrap turned off.</summary>
    None,

    Loading,

    Loaded,

    /// <summary>The venue's history could not be fetched (the series has what the store had, and live bars).</summary>
    Failed,
}
