namespace MarketFeed.Health;

/// <summary>A feed that takes its data from the message bus reports the bus in the host's status through this.</summary>
public interface IBusStatusSource
{
    BusStatus BusStatus();
}
