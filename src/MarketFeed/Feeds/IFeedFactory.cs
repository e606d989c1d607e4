using Microsoft.Extensions.Configuration;

namespace MarketFeed.Feeds;

/// <summary>Creates a feed by name from configuration (its own section, e.g. <c>Sim</c> or a venue's).</summary>
public interface IFeedFactory
{
    string Name { get; }

    string Description { get; }

    IFeed Create(IConfiguration configuration, TimeProvider time);
}
