namespace MarketFeed.History;

/// <summary>What the candle store writer has done, for status and metrics.</summary>
/// <param name="Kind"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Description">The store: its file, or host, port and database (never a password).</param>
/// <param name="State">Opening, ok, failed or stopped.</param>
/// <param name="Written">Candles written.</param>
/// <param name="Pending">Candles waiting to be written (buffered while the store is down).</param>
/// <param name="Failures">Attempts to open or write the store that failed.</param>
/// <param name="Dropped">Candles never written: the buffer was full, the hub's firehose was full, or the store was down at shutdown.</param>
/// <param name="LastError">The last failure, naming the store; null until one.</param>
public sealed record CandleStoreStatus(string Kind, string Description, CandleStoreState State, long Written, long Pending, long Failures, long Dropped, string? LastError);
