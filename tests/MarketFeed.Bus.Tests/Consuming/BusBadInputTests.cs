using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Tests.Contract;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Bus.Tests.Consuming;

public sealed class BusBadInputTests
{
    private static readonly Instrument Xyz = new()
    {
        Exchange = "NSE",
        TradingSymbol = "XYZ.B",
        Kind = InstrumentKind.Equity,
        TickSize = Price.FromDecimal(0.05m),
        Calendar = SessionCalendar.Crypto,
        Feed = "sim",
        NativeKey = "xyz",
    };

    [BrokerFact]
    public async Task Gaps_are_reported_per_instrument_and_damaged_or_unknown_version_messages_skipped_and_reported_once()
    {
        string bus = TestBroker.NewBusName("bad");
        var options = new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, StartFrom = "first", GatewayId = "consumer-bad" };
        try
        {
            await using RawBus raw = await RawBus.OpenAsync(options);
            await raw.PublishAsync(Batch(1, w => w.AddInstrument(Xyz, 0, stateRound: true), BusChannel.State));

            using var logs = new ListLogger();
            var feed = new BusFeed(options, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed], loggerFactory: logs);
            var ticks = new ConcurrentQueue<Tick>();
            await using MarketSubscription sub = consumer.Subscribe("NSE:XYZ.B").OnTick(ticks.Enqueue);

            await raw.PublishAsync(Batch(2, w => { w.AddTick("NSE:XYZ.B", 1, false, Tick(100m)); w.AddTick("NSE:XYZ.B", 2, false, Tick(100.05m)); }));
            await raw.PublishAsync(Batch(3, w => w.AddTick("NSE:XYZ.B", 5, false, Tick(100.1m))));
            byte[] major2 = Batch(4, w => w.AddTick("NSE:XYZ.B", 6, false, Tick(999m)));
            major2[2] = 2;
            BusBatchCodecTests.Recrc(major2);
            await raw.PublishAsync(major2);
            await raw.PublishAsync(major2);
            byte[] damaged = Batch(4, w => w.AddTick("NSE:XYZ.B", 6, false, Tick(998m)));
            damaged[^10] ^= 0xFF;
            await raw.PublishAsync(damaged);
            await raw.PublishAsync(damaged);
            byte[] newerMinor = Batch(4, w => w.AddTick("NSE:XYZ.B", 6, false, Tick(100.15m)));
            newerMinor[3] = 9;
            BusBatchCodecTests.Recrc(newerMinor);
            await raw.PublishAsync(newerMinor);
            await raw.PublishAsync(Batch(2, w => { w.AddTick("NSE:XYZ.B", 1, false, Tick(100m)); w.AddTick("NSE:XYZ.B", 2, false, Tick(100.05m)); }));
            await raw.PublishAsync(Batch(5, w => w.AddTick("NSE:XYZ.B", 7, false, Tick(100.2m))));

            Assert.True(await Eventually.TrueAsync(() => ticks.Any(t => t.Ltp == Price.FromDecimal(100.2m)), TimeSpan.FromSeconds(20)), string.Join(", ", ticks.Select(t => t.Ltp)));
            Assert.Equal([100m, 100.05m, 100.1m, 100.15m, 100.2m], ticks.Where(t => t.Source == TickSource.Stream).Select(t => t.Ltp.ToDecimal()).Distinct());

            BusConsumeStatus status = consumer.BusStatus()!.Consume!;
            Assert.Equal(1, status.Gaps);
            BusGap gap = Assert.Single(status.RecentGaps);
            Assert.Equal(("NSE:XYZ.B", "tick", "gw-raw", 3L, 4L), (gap.Symbol, gap.Channel, gap.Producer, gap.From, gap.To));
            Assert.Equal((2L, 2L, 1L), (status.UnknownVersion, status.Damaged, status.Duplicates));
            Assert.Contains("offset 6", status.LastSkipped, StringComparison.Ordinal);
            Assert.Contains("CRC", status.LastSkipped, StringComparison.Ordinal);

            string[] skipped = [.. logs.Lines.Where(l => l.Text.Contains("skipped a message", StringComparison.Ordinal)).Select(l => l.Text)];
            Assert.Equal(2, skipped.Length);
            Assert.Contains(skipped, s => s.Contains("contract 2.0", StringComparison.Ordinal));
            Assert.Contains(skipped, s => s.Contains("damaged", StringComparison.Ordinal));
            Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("sequence gap on NSE:XYZ.B tick: 3..4", StringComparison.Ordinal));
            Assert.Equal(4, consumer.Status().Feeds.Single().MalformedFrames);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    [BrokerFact]
    public async Task A_producer_gone_silent_puts_its_instruments_in_error_until_it_is_heard_again()
    {
        string bus = TestBroker.NewBusName("silent");
        var options = new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, StartFrom = "first", ProducerTimeout = TimeSpan.FromSeconds(1) };
        try
        {
            await using RawBus raw = await RawBus.OpenAsync(options);
            await raw.PublishAsync(Batch(1, w => w.AddInstrument(Xyz, 0, stateRound: true), BusChannel.State));
            var feed = new BusFeed(options, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            await using MarketSubscription sub = consumer.Subscribe("NSE:XYZ.B");
            await raw.PublishAsync(Batch(2, w => w.AddTick("NSE:XYZ.B", 1, false, Tick(100m))));

            Assert.True(await Eventually.TrueAsync(() => State(consumer).State == InstrumentHealthState.Error, TimeSpan.FromSeconds(10)));
            Assert.Contains("its producer gw-raw has been silent", State(consumer).Error, StringComparison.Ordinal);
            Assert.Equal("silent", Assert.Single(consumer.BusStatus()!.Consume!.Producers).State);

            // Heard again, and it goes on talking (a heartbeat every 200 ms): one batch alone would make it silent again a
            // second after it was sent, which on a loaded machine can pass before the consumer has even read it.
            await raw.PublishAsync(Batch(3, w => w.AddTick("NSE:XYZ.B", 2, false, Tick(100.05m))));
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            for (long batch = 4; State(consumer).State != InstrumentHealthState.Live; batch++)
            {
                Assert.True(DateTime.UtcNow < deadline, State(consumer).ToString());
                await raw.PublishAsync(Batch(batch, w => w.AddHeartbeat(stopping: false, instruments: 1), BusChannel.State));
                await Task.Delay(200);
            }
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    private static InstrumentStatus State(MarketFeedHost host) => host.Status().Instruments.Single(i => i.Symbol == "NSE:XYZ.B");

    private static byte[] Batch(long batchSeq, Action<BusBatchWriter> events, BusChannel channel = BusChannel.Tick)
    {
        var writer = new BusBatchWriter();
        writer.Begin(7, 0, 1, channel, "gw-raw", "sim");
        events(writer);
        return writer.Seal(batchSeq, DateTime.UtcNow).ToArray();
    }

    private static Tick Tick(decimal ltp) => new(default)
    {
        ReceiveTime = DateTime.UtcNow,
        ExchangeTime = DateTime.UtcNow.AddMilliseconds(-1),
        Ltp = Price.FromDecimal(ltp),
        Ltq = Quantity.FromDecimal(1m),
        Updates = TickFields.Trade,
        Flags = TickFlags.Trade,
        Mode = FeedMode.Quote,
    };
}
