using MarketFeed.Bus.Publishing;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

/// <summary>Two gateways told to own the same shard: the broker's lock lets one publish it, the other stands by and takes over.</summary>
public sealed class BusShardLockTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [BrokerFact]
    public async Task A_second_gateway_owning_a_taken_shard_stands_by_and_takes_over_when_the_first_is_gone()
    {
        string bus = TestBroker.NewBusName("lock");
        TcpCutter? firstLink = new(); // the first gateway's only way to the broker
        BusPublisher? first = null;
        try
        {
            await using MarketFeedHost a = await StartAsync();
            await using MarketFeedHost b = await StartAsync();
            first = BusPublisher.Start(a, Options(bus, firstLink.Url, "gw-first"));
            await using StreamTap tap = await StreamTap.OpenAsync(bus, 0);
            Assert.True(await Eventually.TrueAsync(() => tap.Batches.Any(x => x.Header.GatewayId == "gw-first"), Bound), "the first gateway publishes");

            // The second, configured to own the same shard, is refused the lock: it publishes nothing, drops (and counts)
            // its events, and says why in status.
            await using BusPublisher second = BusPublisher.Start(b, Options(bus, TestBroker.Url, "gw-second"));
            Assert.True(await Eventually.TrueAsync(() => second.Status().Publish is { StandingBy: [0], Dropped: > 100 }, Bound), "the second stands by");
            BusStatus standing = second.Status();
            Assert.Equal("connected", standing.State);
            Assert.Equal("shard 0 published by another gateway (check Bus:Owns); standing by", standing.Error);
            Assert.Equal(0, standing.Publish!.Confirmed);
            Assert.Empty(first.Status().Publish!.StandingBy);
            Assert.DoesNotContain(tap.Batches, x => x.Header.GatewayId == "gw-second");

            // The first gateway's link is cut, as a crash or a kill would: the broker deletes its lock with its connection
            // and the second takes the shard over.
            await firstLink.DisposeAsync();
            firstLink = null;
            Assert.True(await Eventually.TrueAsync(() => tap.Batches.Any(x => x.Header.GatewayId == "gw-second"), Bound), "the second takes over");
            Assert.Empty(second.Status().Publish!.StandingBy);
            Assert.Null(second.Status().Error);
            Assert.True(await Eventually.TrueAsync(() => second.Status().Publish!.Confirmed > 0, Bound));

            // From the takeover on, the stream holds the second's batches only: the first, cut off, publishes nothing more.
            long takeover = tap.Batches.First(x => x.Header.GatewayId == "gw-second").Offset;
            Assert.True(await Eventually.TrueAsync(() => tap.Batches.Count(x => x.Offset > takeover) > 10, Bound));
            Assert.All(tap.Batches.Where(x => x.Offset >= takeover), x => Assert.Equal("gw-second", x.Header.GatewayId));
        }
        finally
        {
            if (firstLink is not null)
            {
                await firstLink.DisposeAsync();
            }

            if (first is not null)
            {
                await first.DisposeAsync();
            }

            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    private static BusOptions Options(string bus, string url, string gatewayId) => new()
    {
        Url = url,
        Name = bus,
        Shards = 1,
        Owns = "0",
        Symbols = "*",
        GatewayId = gatewayId,
        ReconnectInterval = TimeSpan.FromMilliseconds(500),
    };

    private static Task<MarketFeedHost> StartAsync() =>
        MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 2 }, TimeProvider.System)]);
}
