using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

public sealed class BusShardingTests
{
    [BrokerFact]
    public async Task Two_gateways_owning_different_shards_each_publish_only_the_instruments_of_their_shards()
    {
        string bus = TestBroker.NewBusName("shard");
        try
        {
            await using MarketFeedHost a = await StartAsync();
            await using MarketFeedHost b = await StartAsync();
            await using BusPublisher gwA = BusPublisher.Start(a, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Owns = "0", Symbols = "*", GatewayId = "gw-a" });
            await using BusPublisher gwB = BusPublisher.Start(b, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Owns = "1", Symbols = "*", GatewayId = "gw-b" });
            await using StreamTap shard0 = await StreamTap.OpenAsync(bus, 0);
            await using StreamTap shard1 = await StreamTap.OpenAsync(bus, 1);
            Assert.True(await Eventually.TrueAsync(() => Symbols(shard0).Count > 20 && Symbols(shard1).Count > 20, TimeSpan.FromSeconds(20)));

            Assert.All(shard0.Batches, batch => Assert.Equal(("gw-a", 0), (batch.Header.GatewayId, batch.Header.Shard)));
            Assert.All(shard1.Batches, batch => Assert.Equal(("gw-b", 1), (batch.Header.GatewayId, batch.Header.Shard)));
            Assert.All(Symbols(shard0), symbol => Assert.Equal(0, BusContract.ShardOf(symbol, 2)));
            Assert.All(Symbols(shard1), symbol => Assert.Equal(1, BusContract.ShardOf(symbol, 2)));
            Assert.Empty(Symbols(shard0).Intersect(Symbols(shard1)));
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 2);
        }
    }

    private static Task<MarketFeedHost> StartAsync() =>
        MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 2 }, TimeProvider.System)]);

    private static HashSet<string> Symbols(StreamTap tap) =>
        [.. tap.Batches.SelectMany(b => b.Events.Events).Where(e => e.Kind == BusEventKind.Tick).Select(e => e.Header.Symbol)];
}
