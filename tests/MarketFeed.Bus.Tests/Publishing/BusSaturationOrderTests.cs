using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

public sealed class BusSaturationOrderTests
{
    [BrokerFact]
    public async Task A_saturated_shard_receives_every_batch_once_in_the_order_the_publisher_numbered_them()
    {
        // The simulator is asked for far more than the machine carries, into one shard: hundreds of batches are in
        // flight at once. Consumers drop a batch number not above the last one seen as a duplicate, so one batch
        // overtaking another in the stream is a batch lost.
        string bus = TestBroker.NewBusName("order");
        try
        {
            var simulator = new SimulatorFeed(new SimulatorOptions { TicksPerSecond = 2_000_000, StepInterval = TimeSpan.FromMilliseconds(5), Books = false }, TimeProvider.System);
            await using MarketFeedHost host = await MarketFeedHost.StartAsync([simulator], new HubOptions { Partitions = 1 });
            string[] symbols = [.. host.Instruments.All().Where(i => !i.Symbol.StartsWith("BINANCE:", StringComparison.Ordinal)).Select(i => i.Symbol).Take(20)];
            var options = new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, Symbols = string.Join(',', symbols), GatewayId = "gw-order", OutboxBatches = 1_000_000 };
            BusPublisher publisher = BusPublisher.Start(host, options);
            await using StreamTap tap = await StreamTap.OpenAsync(bus, 0);
            try
            {
                Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed >= 1_000, TimeSpan.FromSeconds(30)), $"{publisher.Status().Publish!.Confirmed} batches confirmed");
            }
            finally
            {
                await publisher.DisposeAsync();
            }

            Assert.Equal(0, publisher.Status().Publish!.Republished);
            long confirmed = publisher.Status().Publish!.Confirmed;
            Assert.True(await tap.WaitAsync(t => t.Batches.Count >= confirmed, TimeSpan.FromSeconds(60)), $"{tap.Batches.Count} of {confirmed} batches read");
            long[] seen = [.. tap.Batches.Select(b => b.Header.BatchSeq)];
            long[] outOfOrder = [.. seen.Zip(seen.Skip(1)).Where(p => p.Second != p.First + 1).Select(p => p.Second)];
            Assert.True(outOfOrder.Length == 0, $"{outOfOrder.Length} of {seen.Length} batches not right after their predecessor: {string.Join(", ", outOfOrder.Take(10))}");
            Assert.Equal(1, seen[0]);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }
}
