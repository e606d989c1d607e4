namespace MarketFeed.Feeds;

/// <summary>A venue's stream limits: instruments per connection, connections per key, instruments per subscribe message.</summary>
public readonly record struct ShardingLimits(int InstrumentsPerConnection, int Connections, int InstrumentsPerMessage)
{
    public int Capacity => InstrumentsPerConnection * Connections;
}
