using System.Collections.Concurrent;
using System.Text.Json;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>
/// The scale-out end to end on the real broker: two producing gateways on the simulator split the instruments by
/// shard, one consuming gateway (a host on <c>--feed bus</c>) merges them; one producer dies (its link to the broker is
/// cut, and what its sequence file held at that moment is all its restart gets), then comes back.
/// </summary>
public sealed class ShardedGatewaysTests
{
    private const int Shards = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly string[] Universe =
    [
        "NSE:RELIANCE", "NSE:HDFCBANK", "NSE:ICICIBANK", "NSE:INFY", "NSE:TCS", "NSE:SBIN",
        "NSE:BHARTIARTL", "NSE:ITC", "NSE:LT", "NSE:KOTAKBANK", "NSE:NIFTY 50", "NSE:NIFTY BANK",
    ];

    [BrokerFact]
    public async Task Two_producers_one_consumer_a_producer_dies_and_returns_nothing_mixed_or_silently_lost()
    {
        string bus = TestBroker.NewBusName("shard");
        string stateA = Directory.CreateTempSubdirectory("mf-bus-a-").FullName;
        string stateRestart = Directory.CreateTempSubdirectory("mf-bus-a2-").FullName;
        var produced = new ConcurrentDictionary<(string, DateTime), ConcurrentQueue<Tick>>();
        var consumed = new ConcurrentDictionary<string, ConcurrentQueue<Tick>>(StringComparer.Ordinal);
        TcpCutter? linkA = new(); // A's only way to the broker
        ProducerGateway? a = null;
        ProducerGateway? b = null;
        ProducerGateway? restarted = null;
        try
        {
            a = await ProducerGateway.StartAsync(Options(bus, linkA.Url, "gw-a", "0,1", stateA), Universe, produced);
            b = await ProducerGateway.StartAsync(Options(bus, TestBroker.Url, "gw-b", "2,3", null), Universe, produced);
            Assert.NotEmpty(a.Symbols);
            Assert.NotEmpty(b.Symbols);
            Assert.Empty(a.Symbols.Intersect(b.Symbols));
            Assert.Equal(Universe.Length, a.Symbols.Length + b.Symbols.Length);
            ProducerGateway first = a;
            ProducerGateway second = b;

            // Every instrument defined on the bus (its definition goes before its first event) before the consumer loads.
            Assert.True(await Eventually.TrueAsync(() => Universe.All(s => first.Count(s) + second.Count(s) > 0) && AllConfirmed(first) && AllConfirmed(second), Bound), "the producers publish");

            var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = Shards, StartFrom = "first", GatewayId = "gw-c", ProducerTimeout = TimeSpan.FromSeconds(3) }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.CreateAsync([feed], ProducerGateway.Hub);
            await using MarketSubscription all = consumer.Subscribe(Universe, new SubscriberOptions { TickCapacity = 1 << 16 }).OnTick(tick =>
            {
                string symbol = consumer.Instruments.TryGet(tick.Instrument, out Instrument? instrument) ? instrument.Symbol : "?";
                consumed.GetOrAdd(symbol, _ => new ConcurrentQueue<Tick>()).Enqueue(tick);
            });
            consumer.StartFeeds();
            Assert.True(await Eventually.TrueAsync(() => Universe.All(s => Count(consumed, s) >= 40), Bound), "the consumer gets every instrument's ticks");
            Assert.True(await Eventually.TrueAsync(() => Universe.All(s => State(consumer, s) == InstrumentHealthState.Live), Bound), "every instrument live at the consumer");
            DateTime consumerStarted = DateTime.UtcNow; // its candle series exist by now

            // Producer A dies: from the broker's side its connection is gone, and it never says goodbye. It keeps
            // numbering what its hub admits (and writing its marks) until it is gone; a crash leaves the last marks written.
            await linkA.DisposeAsync(); // its connections drop and no new one gets through
            linkA = null;
            Dictionary<string, int> admittedAtCut = a.Symbols.ToDictionary(s => s, first.Count);
            Assert.True(await Eventually.TrueAsync(() => first.Symbols.All(s => Mark(stateA, "gw-a", s) > admittedAtCut[s] + 20), Bound), "A numbered ticks it could not send");
            File.Copy(Path.Combine(stateA, "bus-gw-a.json"), Path.Combine(stateRestart, "bus-gw-a.json"));
            uint deadEpoch = a.Publisher.Epoch;
            Task burial = a.DisposeAsync().AsTask();
            a = null;

            Assert.True(await Eventually.TrueAsync(() => first.Symbols.All(s => State(consumer, s) == InstrumentHealthState.Error), Bound), "A's instruments go to error at the consumer");
            Assert.All(first.Symbols, s => Assert.Contains("gw-a", Error(consumer, s), StringComparison.Ordinal));
            Assert.True(await Eventually.TrueAsync(() => second.Symbols.All(s => State(consumer, s) == InstrumentHealthState.Live), Bound), "B's stay live");
            Assert.Equal("silent", consumer.BusStatus()!.Consume!.Producers.Single(p => p.GatewayId == "gw-a").State);

            // A restarts from what the crash left: a new epoch, every sequence resumed from its mark.
            restarted = await ProducerGateway.StartAsync(Options(bus, TestBroker.Url, "gw-a", "0,1", stateRestart), Universe, produced);
            ProducerGateway back = restarted;
            Assert.True(back.Publisher.Epoch > deadEpoch);
            Dictionary<string, long> marks = first.Symbols.ToDictionary(s => s, s => Mark(stateRestart, "gw-a", s, atStart: true));
            int[] before = [.. first.Symbols.Select(s => Count(consumed, s))];
            Assert.True(await Eventually.TrueAsync(() => first.Symbols.Select((s, i) => Count(consumed, s) >= before[i] + 20).All(x => x), Bound), "the restarted producer's ticks arrive");
            Assert.True(await Eventually.TrueAsync(() => first.Symbols.All(s => State(consumer, s) == InstrumentHealthState.Live), Bound), "A's instruments are live again");

            // Quiesce: the simulators stop; the surviving producer's every tick must have arrived, in order.
            back.Simulator.Disconnect("test over");
            second.Simulator.Disconnect("test over");
            Assert.True(await Eventually.TrueAsync(() => second.Symbols.All(s => Count(consumed, s) == second.Count(s)), Bound),
                string.Join(", ", second.Symbols.Select(s => $"{s} {Count(consumed, s)}/{second.Count(s)}")));
            foreach (string symbol in second.Symbols)
            {
                Assert.Equal(second.Ticks[symbol].Select(t => t.ReceiveTime), consumed[symbol].Select(t => t.ReceiveTime));
            }

            // Nothing mixed: every tick the consumer has is one its instrument's producer admitted, with the same data.
            foreach ((string symbol, ConcurrentQueue<Tick> ticks) in consumed)
            {
                foreach (Tick tick in ticks)
                {
                    Assert.True(produced.TryGetValue((symbol, tick.ReceiveTime), out ConcurrentQueue<Tick>? candidates), $"{symbol}: a tick received at {tick.ReceiveTime:O} that no producer of {symbol} had");
                    Assert.True(
                        candidates.Any(original => (original with { Instrument = tick.Instrument }).SameMarketDataAs(tick)),
                        $"{symbol} at {tick.ReceiveTime:O}: consumed {Describe(tick)} vs produced {string.Join(" | ", candidates.Select(c => Describe(c)))}");
                }
            }

            // The consumer's candles are the surviving producer's. A bar that began before the consumer's series existed
            // is flagged partial there and is not a whole bar (its first tick may be only the baseline of the day's
            // cumulative volume): every other bar must be the same.
            foreach (string symbol in second.Symbols)
            {
                Assert.True(await Eventually.TrueAsync(() => CommonCandlesAsync(second.Host, consumer, symbol).Result.Count(p => p.Producer.Start >= consumerStarted) >= 2, Bound), $"{symbol}: closed candles on both sides");
                List<(Candle Producer, Candle Consumer)> pairs = await CommonCandlesAsync(second.Host, consumer, symbol);
                Assert.All(pairs.Where(p => !p.Consumer.IsPartial), p => Assert.Equal(
                    p.Producer.Start >= consumerStarted ? p.Producer : Unflagged(p.Producer),
                    p.Producer.Start >= consumerStarted ? p.Consumer : Unflagged(p.Consumer)));
                Assert.True(pairs.Count(p => !p.Consumer.IsPartial && p.Producer.Start >= consumerStarted) >= 2, $"{symbol}: whole bars compared");
            }

            // The producers stop (saying so), so the streams are final; then every gap in them must have been reported.
            await back.Publisher.DisposeAsync();
            await second.Publisher.DisposeAsync();
            await burial;
            List<StreamTap> taps = [];
            try
            {
                for (int shard = 0; shard < Shards; shard++)
                {
                    taps.Add(await StreamTap.OpenAsync(bus, shard));
                }

                Assert.True(await Eventually.TrueAsync(() => taps.Sum(t => t.Batches.Count) == feed.BusStatus().Consume!.Batches, Bound), "the taps read what the consumer read");
                var expected = GapOracle.Gaps(taps);
                BusConsumeStatus status = feed.BusStatus().Consume!;
                Assert.NotEmpty(expected);
                Assert.All(expected, g => Assert.Equal("gw-a", g.Producer));
                Assert.Equal(expected.Count, status.Gaps);
                Assert.Equal(
                    expected.TakeLast(status.RecentGaps.Count).Select(g => (g.Symbol, g.Channel, g.Producer, g.From, g.To)).Order(),
                    status.RecentGaps.Select(g => (g.Symbol, g.Channel, g.Producer, g.From, g.To)).Order());
                Assert.Equal(0, status.Damaged);

                // The restarted producer's first tick of each instrument carries the number after its mark, not 1.
                foreach (string symbol in first.Symbols)
                {
                    long lastSent = taps.SelectMany(t => t.Batches).Where(x => x.Header.Epoch == deadEpoch)
                        .SelectMany(x => x.Events.Events).Where(e => e.Kind == BusEventKind.Tick && e.Header.Symbol == symbol).Max(e => e.Header.BusSeq);
                    long resumedAt = taps.SelectMany(t => t.Batches).Where(x => x.Header.Epoch == back.Publisher.Epoch)
                        .SelectMany(x => x.Events.Events).First(e => e.Kind == BusEventKind.Tick && e.Header.Symbol == symbol).Header.BusSeq;
                    Assert.Equal(marks[symbol] + 1, resumedAt);
                    Assert.True(resumedAt > lastSent + 1, $"{symbol}: resumed at {resumedAt}, after {lastSent} sent before the crash");
                }
            }
            finally
            {
                foreach (StreamTap tap in taps)
                {
                    await tap.DisposeAsync();
                }
            }
        }
        finally
        {
            if (linkA is not null)
            {
                await linkA.DisposeAsync();
            }

            foreach (ProducerGateway? gateway in new[] { a, b, restarted })
            {
                if (gateway is not null)
                {
                    await gateway.DisposeAsync();
                }
            }

            await BusCleanup.DeleteAsync(bus, Shards);
            Directory.Delete(stateA, recursive: true);
            Directory.Delete(stateRestart, recursive: true);
        }
    }

    private static BusOptions Options(string bus, string url, string gatewayId, string owns, string? stateDirectory) => new()
    {
        Url = url,
        Name = bus,
        Shards = Shards,
        Owns = owns,
        GatewayId = gatewayId,
        StateDirectory = stateDirectory,
        ReconnectInterval = TimeSpan.FromMilliseconds(500),
    };

    private static bool AllConfirmed(ProducerGateway gateway) =>
        gateway.Publisher.Status().Publish is { Batches: > 0 } p && p.Confirmed == p.Batches;

    private static int Count(ConcurrentDictionary<string, ConcurrentQueue<Tick>> ticks, string symbol) =>
        ticks.TryGetValue(symbol, out ConcurrentQueue<Tick>? queue) ? queue.Count : 0;

    private static InstrumentStatus Status(MarketFeedHost host, string symbol) => host.Status().Instruments.Single(i => i.Symbol == symbol);

    private static InstrumentHealthState State(MarketFeedHost host, string symbol) => Status(host, symbol).State;

    private static string Error(MarketFeedHost host, string symbol) => Status(host, symbol).Error ?? "";

    /// <summary>The tick-channel mark a producer's sequence file holds for <paramref name="symbol"/> (docs/bus.md: <c>bus-{gateway}.json</c>).</summary>
    private static long Mark(string directory, string gatewayId, string symbol, bool atStart = false)
    {
        try
        {
            return SequenceMarksFile.TickMark(SequenceMarksFile.PathOf(directory, gatewayId), symbol);
        }
        catch (Exception e) when (!atStart && e is IOException or JsonException)
        {
            return -1; // being replaced at this moment
        }
    }

    private static string Describe(in Tick t) =>
        $"ltp {t.Ltp} ltq {t.Ltq} atp {t.Atp} vol {t.Volume} {t.Bid}x{t.BidQty}/{t.Ask}x{t.AskQty} ohlc {t.Open}/{t.High}/{t.Low}/{t.Close} " +
        $"oi {t.Oi} mode {t.Mode} exch {t.ExchangeTime:O} vseq {t.VenueSequence} depth {t.Depth.BidCount}/{t.Depth.AskCount} greeks {t.Greeks is not null} flags {t.Flags} source {t.Source}";

    private static Candle Unflagged(Candle candle) => candle with { Flags = candle.Flags & ~CandleFlags.Partial };

    private static async Task<List<(Candle Producer, Candle Consumer)>> CommonCandlesAsync(MarketFeedHost producer, MarketFeedHost consumer, string symbol)
    {
        CandleSnapshot theirs = await producer.GetCandlesAsync(symbol, "2s", 200);
        CandleSnapshot ours = await consumer.GetCandlesAsync(symbol, "2s", 200);
        var byStart = ours.Closed.ToDictionary(c => c.Start);
        return [.. theirs.Closed.Where(c => byStart.ContainsKey(c.Start)).Select(c => (c, byStart[c.Start]))];
    }
}
