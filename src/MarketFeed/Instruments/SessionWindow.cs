namespace MarketFeed.Instruments;

/// <summary>One trading session: the trading day it belongs to and its open and close as UTC instants.</summary>
public readonly record struct SessionWindow(DateOnly TradingDay, DateTime OpenUtc, DateTime CloseUtc)
{
    public bool Contains(DateTime utc) => utc >= OpenUtc && utc < CloseUtc;

    public TimeSpan Length => CloseUtc - OpenUtc;
}
