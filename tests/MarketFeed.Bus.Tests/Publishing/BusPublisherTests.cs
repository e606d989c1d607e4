using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

public sealed class BusPublisherTests
{
    [BrokerFact]
    public async Task Admitted_ticks_reach_their_shard_stream_in_order_after_the_instrument_definition()
    {
        string bus = TestBroker.NewBusName("pub");
        try
        {
            await using MarketFeedHost host = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 50 }, TimeProvider.System)]);
            var options = new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 16, Symbols = "NSE:RELIANCE,BINANCE:BTCUSDT", GatewayId = "gw-test" };
            int relianceShard = BusContract.ShardOf("NSE:RELIANCE", 16);
            await using (BusPublisher publisher = BusPublisher.Start(host, options))
            {
                await using StreamTap tap = await StreamTap.OpenAsync(bus, relianceShard);
                Assert.True(await tap.WaitAsync(t => Ticks(t, "NSE:RELIANCE").Count >= 100, TimeSpan.FromSeconds(20)), $"{Ticks(tap, "NSE:RELIANCE").Count} ticks");

                var ticks = Ticks(tap, "NSE:RELIANCE");
                Assert.Equal(Enumerable.Range(1, ticks.Count).Select(i => (long)i), ticks.Select(t => t.Header.BusSeq));
                Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second.Tick.Seq == p.First.Tick.Seq + 1), "the hub's own sequence is kept");
                Assert.All(ticks, t => Assert.NotEqual(default, t.Tick.ReceiveTime));

                var batches = tap.Batches.ToList();
                Assert.All(batches, b => Assert.Equal(("gw-test", publisher.Epoch, relianceShard), (b.Header.GatewayId, b.Header.Epoch, b.Header.Shard)));
                Assert.Equal(Enumerable.Range(1, batches.Count).Select(i => (long)i), batches.Select(b => b.Header.BatchSeq));
                Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Offset));
                int definedAt = batches.FindIndex(b => b.Events.Events.Any(e => e.Kind == BusEventKind.Instrument && e.Header.Symbol == "NSE:RELIANCE"));
                int firstTickAt = batches.FindIndex(b => b.Events.Events.Any(e => e.Kind == BusEventKind.Tick));
                Assert.InRange(definedAt, 0, firstTickAt);
                Assert.Contains(batches, b => b.Events.Events.Any(e => e.Kind == BusEventKind.Heartbeat));
                Assert.DoesNotContain(batches, b => b.Events.Events.Any(e => e.Header.Symbol == "BINANCE:BTCUSDT"));

                var status = publisher.Status();
                Assert.Equal("connected", status.State);
                Assert.DoesNotContain("guest:guest", status.Url, StringComparison.Ordinal);
                Assert.True(status.Publish!.Confirmed > 0);
                Assert.NotNull(status.Publish.ConfirmLatency);
            }
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 16);
        }
    }

    internal static List<(BusEvent Header, Tick Tick)> Ticks(StreamTap tap, string symbol) =>
        [.. tap.Batches.SelectMany(b => b.Events.Events).Where(e => e.Kind == BusEventKind.Tick && e.Header.Symbol == symbol && !e.Header.IsStateRound).Select(e => (e.Header, (Tick)e.Value!))];
}
