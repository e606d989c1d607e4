using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Bus.Consuming;

/// <summary>Creates the bus consumer (<c>--feed bus</c>) from configuration section <c>Bus</c> (see <see cref="BusOptions"/>).</summary>
public sealed class BusFeedFactory : IFeedFactory
{
    public string Name => BusFeed.FeedName;

    public string Description => "the message bus: what other MarketFeed gateways publish to RabbitMQ (Bus:Url)";

    /// <exception cref="FeedConfigurationException">No <c>Bus:Url</c>, or a setting out of range.</exception>
    public IFeed Create(IConfiguration configuration, TimeProvider time)
    {
        BusOptions options = BusOptions.From(configuration);
        if (!options.Enabled)
        {
            throw new FeedConfigurationException("--feed bus reads the message bus: set Bus:Url (MARKETFEED_Bus__Url=amqp://user:password@host:5672/)");
        }

        return new BusFeed(options, time);
    }
}
