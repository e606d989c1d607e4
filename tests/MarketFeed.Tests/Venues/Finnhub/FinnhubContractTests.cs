using MarketFeed.Feeds;
using MarketFeed.Tests.Feeds;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>Finnhub through the shared venue contract: a US stock and a crypto pair, over the emulator.</summary>
public sealed class FinnhubContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        FinnhubVenue venue = await FinnhubVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);
        return new VenueUnderTest(venue.Host, venue.Feed, "FINNHUB:AAPL", "FINNHUB:BINANCE:BTCUSDT", () =>
        {
            venue.Emulator.DropConnections();
            return Task.CompletedTask;
        }, venue.DisposeAsync);
    }
}
