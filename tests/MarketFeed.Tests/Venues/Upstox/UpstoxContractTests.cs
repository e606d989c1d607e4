using MarketFeed.Feeds;
using MarketFeed.Tests.Feeds;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Venues.Upstox;

/// <summary>Upstox through the shared venue contract: an equity and an index, over the emulator.</summary>
public sealed class UpstoxContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        UpstoxVenue venue = await UpstoxVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);
        return new VenueUnderTest(venue.Host, venue.Feed, "NSE:INFY", "NSE:NIFTY 50", () =>
        {
            venue.Emulator.DropConnections();
            return Task.CompletedTask;
        }, venue.DisposeAsync);
    }
}
