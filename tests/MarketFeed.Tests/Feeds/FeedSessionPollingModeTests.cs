using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Feeds;

/// <summary>A feed set to poll on purpose: REST only, the stream never opened, its state following the REST rounds.</summary>
public class FeedSessionPollingModeTests
{
    [Fact]
    public async Task A_feed_set_to_poll_never_opens_the_stream_and_delivers_polled_ticks_its_state_following_rest()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(polling: true);
        FeedHealth health = venue.Feed.Health;
        await venue.WaitForStateAsync(FeedState.Polling);
        Assert.True(health.PollingForced);
        Assert.Equal(FeedTransport.Polling, health.Transport);

        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");
        // The emulator's quote stands still without a stream to drive it: the first poll delivers, repeats are duplicates.
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Count >= 1);
        Assert.Equal(TickSource.Poll, ticks[0].Source);
        await SimulatedHost.WaitUntil(() => venue.Host.Hub.Quality().DroppedDuplicate >= 2);
        Assert.Equal(0, venue.Emulator.Connections);
        Assert.Equal(0, health.Connections);

        venue.Emulator.Faults.RestDown = true;
        await venue.WaitForStateAsync(FeedState.Disconnected);
        Assert.Contains("REST polling failing", health.LastError);
        venue.Emulator.Faults.RestDown = false;
        await venue.WaitForStateAsync(FeedState.Polling);

        // In all that time the stream was never tried.
        Assert.Equal(0, venue.Emulator.Connections);
        Assert.Equal(0, health.Reconnects);
        Assert.Equal(FeedTransport.Polling, venue.Host.Status().Feeds.Single().Mode);
    }

    [Fact]
    public async Task The_mode_comes_from_configuration_and_a_wrong_one_or_the_simulator_is_refused()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Feeds:kite:Mode"] = "polling",
            ["Feeds:binance:Mode"] = "Stream",
            ["Feeds:dhan:Mode"] = "sockets",
        }).Build();
        Assert.Equal(["kite"], FeedModes.Polling(configuration, ["kite", "binance"], []));
        FeedConfigurationException wrong = Assert.Throws<FeedConfigurationException>(() => FeedModes.Polling(configuration, ["dhan"], []));
        Assert.Equal("Feeds:dhan:Mode is 'sockets': use Stream (the default) or Polling", wrong.Message);

        Assert.Equal(["binance", "kite"], FeedModes.Names(" binance, kite ,"));
        Assert.Throws<FeedConfigurationException>(() => FeedModes.Names("kite,KITE"));

        await using var sim = new SimulatorFeed(new SimulatorOptions(), TimeProvider.System);
        FeedConfigurationException simulator = await Assert.ThrowsAsync<FeedConfigurationException>(() => MarketFeedHost.StartAsync([sim], pollingFeeds: ["sim"]));
        Assert.Contains("no REST to poll", simulator.Message);
    }
}
