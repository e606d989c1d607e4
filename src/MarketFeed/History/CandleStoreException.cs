namespace MarketFeed.History;

/// <summary>A candle store could not be opened, read or written; the message names the store (its file, or host and database).</summary>
public sealed class CandleStoreException : Exception
{
    public CandleStoreException(string message)
        : base(message)
    {
    }

    public CandleStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
