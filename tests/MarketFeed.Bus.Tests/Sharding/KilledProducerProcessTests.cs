using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>
/// Scale-out as a user runs it: two <c>marketfeed run</c> processes on the simulator publish half of the shards each,
/// configured only through their environment (no state directory given: the default one is used); one is killed with
/// SIGKILL and started again.
/// </summary>
public sealed class KilledProducerProcessTests
{
    private const int Shards = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private static readonly string[] Universe =
    [
        "NSE:RELIANCE", "NSE:HDFCBANK", "NSE:ICICIBANK", "NSE:INFY", "NSE:TCS", "NSE:SBIN", "NSE:BHARTIARTL", "NSE:ITC",
    ];

    [BrokerFact]
    public async Task A_killed_producer_process_shows_as_error_at_the_consumer_and_its_restart_resumes_its_sequences()
    {
        string bus = TestBroker.NewBusName("kill");
        DirectoryInfo dataA = Directory.CreateTempSubdirectory("mf-bus-kill-a-");
        DirectoryInfo dataB = Directory.CreateTempSubdirectory("mf-bus-kill-b-");
        string[] symbolsA = [.. Universe.Where(s => BusContract.ShardOf(s, Shards) is 0 or 1)];
        string[] symbolsB = [.. Universe.Except(symbolsA)];
        Assert.NotEmpty(symbolsA);
        Assert.NotEmpty(symbolsB);
        GatewayProcess? a = null;
        GatewayProcess? b = null;
        var taps = new List<StreamTap>();
        try
        {
            a = await GatewayProcess.StartAsync(Environment(bus, "gw-a", "0,1", dataA), "run --urls http://127.0.0.1:0");
            b = await GatewayProcess.StartAsync(Environment(bus, "gw-b", "2,3", dataB), "run --urls http://127.0.0.1:0");

            var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = Shards, GatewayId = "gw-c", ProducerTimeout = TimeSpan.FromSeconds(3) }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.CreateAsync([feed], new HubOptions());
            var ticks = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            await using MarketSubscription all = consumer.Subscribe(Universe).OnTick(tick =>
            {
                if (consumer.Instruments.TryGet(tick.Instrument, out Instrument? instrument))
                {
                    ticks.AddOrUpdate(instrument.Symbol, 1, (_, n) => n + 1);
                }
            });
            consumer.StartFeeds();
            Assert.True(await Eventually.TrueAsync(() => Universe.All(s => ticks.GetValueOrDefault(s) >= 20 && State(consumer, s) == InstrumentHealthState.Live), Bound),
                $"every instrument live at the consumer: {string.Join(", ", Universe.Select(s => $"{s} {ticks.GetValueOrDefault(s)} {State(consumer, s)}"))}\nA:\n{a.Output}\nB:\n{b.Output}");
            taps.Add(await StreamTap.OpenAsync(bus, 0));
            taps.Add(await StreamTap.OpenAsync(bus, 1));

            // SIGKILL: no goodbye, no last save. The consumer hears nothing more from gw-a and says so.
            await a.KillAsync();
            Assert.True(await Eventually.TrueAsync(() => symbolsA.All(s => State(consumer, s) == InstrumentHealthState.Error), Bound), "A's instruments go to error");
            Assert.All(symbolsA, s => Assert.Contains("gw-a", Status(consumer, s).Error ?? "", StringComparison.Ordinal));
            Assert.All(symbolsB, s => Assert.Equal(InstrumentHealthState.Live, State(consumer, s)));
            Assert.Equal("silent", consumer.BusStatus()!.Consume!.Producers.Single(p => p.GatewayId == "gw-a").State);

            // What the killed process left in its default state directory is what its restart resumes from.
            string marksFile = SequenceMarksFile.PathOf(Path.Combine(dataA.FullName, "marketfeed", "bus"), "gw-a");
            Assert.True(File.Exists(marksFile), $"{marksFile} (the default Bus:StateDirectory) holds the marks");
            Dictionary<string, long> marks = symbolsA.ToDictionary(s => s, s => SequenceMarksFile.TickMark(marksFile, s));
            Assert.All(symbolsA, s => Assert.True(marks[s] > 0, $"{s}: mark {marks[s]}"));
            uint deadEpoch = SequenceMarksFile.Epoch(marksFile);

            a = await GatewayProcess.StartAsync(Environment(bus, "gw-a", "0,1", dataA), "run --urls http://127.0.0.1:0");
            Assert.True(await Eventually.TrueAsync(() => symbolsA.All(s => State(consumer, s) == InstrumentHealthState.Live), Bound), "A's instruments are live again");
            Assert.True(await Eventually.TrueAsync(() => consumer.BusStatus()!.Consume!.Producers.Single(p => p.GatewayId == "gw-a").State == "live", Bound));

            // Each sequence goes on from its mark, in a new epoch; numbers sent after the last save come again and the
            // consumer reports that rewind instead of taking them for new.
            bool anyReused = false;
            foreach (string symbol in symbolsA)
            {
                Assert.True(await Eventually.TrueAsync(() => FirstTickSeq(taps, symbol, e => e > deadEpoch) is not null, Bound), $"{symbol}: a tick of the restarted producer");
                long resumedAt = FirstTickSeq(taps, symbol, e => e > deadEpoch)!.Value;
                Assert.Equal(marks[symbol] + 1, resumedAt);
                anyReused |= LastTickSeq(taps, symbol, deadEpoch) > marks[symbol];
            }

            if (anyReused)
            {
                Assert.True(consumer.BusStatus()!.Consume!.Rewinds > 0, "reused numbers are reported as a rewind");
            }
        }
        finally
        {
            foreach (StreamTap tap in taps)
            {
                await tap.DisposeAsync();
            }

            foreach (GatewayProcess? gateway in new[] { a, b })
            {
                if (gateway is not null)
                {
                    await gateway.DisposeAsync();
                }
            }

            await BusCleanup.DeleteAsync(bus, Shards);
            dataA.Delete(recursive: true);
            dataB.Delete(recursive: true);
        }
    }

    /// <summary>A producer as a user configures one: the broker, its shards and gateway id; its data directory under XDG_DATA_HOME.</summary>
    private static Dictionary<string, string> Environment(string bus, string gatewayId, string owns, DirectoryInfo data) => new()
    {
        ["XDG_DATA_HOME"] = data.FullName,
        ["MARKETFEED_Bus__Url"] = TestBroker.Url,
        ["MARKETFEED_Bus__Name"] = bus,
        ["MARKETFEED_Bus__Shards"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MARKETFEED_Bus__Owns"] = owns,
        ["MARKETFEED_Bus__GatewayId"] = gatewayId,
        ["MARKETFEED_Bus__Symbols"] = string.Join(',', Universe),
        ["MARKETFEED_Sim__TicksPerInstrumentPerSecond"] = "20",
        ["MARKETFEED_History__Store"] = "none",
    };

    private static long? FirstTickSeq(List<StreamTap> taps, string symbol, Func<uint, bool> epoch) =>
        taps.SelectMany(t => t.Batches).Where(x => x.Header.GatewayId == "gw-a" && epoch(x.Header.Epoch))
            .SelectMany(x => x.Events.Events).Where(e => e.Kind == BusEventKind.Tick && e.Header.Symbol == symbol && !e.Header.IsStateRound)
            .Select(e => (long?)e.Header.BusSeq).FirstOrDefault();

    private static long LastTickSeq(List<StreamTap> taps, string symbol, uint epoch) =>
        taps.SelectMany(t => t.Batches).Where(x => x.Header.GatewayId == "gw-a" && x.Header.Epoch == epoch)
            .SelectMany(x => x.Events.Events).Where(e => e.Kind == BusEventKind.Tick && e.Header.Symbol == symbol)
            .Select(e => e.Header.BusSeq).DefaultIfEmpty(0).Max();

    private static InstrumentStatus Status(MarketFeedHost host, string symbol) => host.Status().Instruments.Single(i => i.Symbol == symbol);

    private static InstrumentHealthState State(MarketFeedHost host, string symbol) => Status(host, symbol).State;
}
