using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Serialization;
using MarketFeed.Hub;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Journal;

/// <summary>The normalized log holds exactly what the hub delivered: every tick with its sequence number and every value, and the candle closes.</summary>
public sealed class JournalEventPumpTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-pump-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Every_delivered_tick_and_candle_close_is_in_the_log_to_the_last_digit()
    {
        (MarketFeedHost host, var feed, var clock) = await SimulatedHost.StartAsync();
        await using (host)
        {
            JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = _directory.FullName }, "sim", JournalEventCodec.Version);
            JournalEventPump pump = JournalEventPump.Start(host.Hub, host.Instruments, recorder);
            await using MarketSubscription sub = host.Subscribe(["NSE:INFY", "NSE:NIFTY 50", "BINANCE:BTCUSDT"], new SubscriberOptions { Mode = FeedMode.Full, CandleIntervals = [CandleInterval.Parse("1m")] });
            var delivered = new List<Tick>();
            var closes = new List<CandleEvent>();
            for (int step = 0; step < 8; step++)
            {
                await feed.EmitAsync(40);
                clock.Advance(TimeSpan.FromSeconds(20));
                await host.Hub.FlushAsync();
            }

            while (sub.Subscriber.TryReadTick(out Tick tick))
            {
                delivered.Add(tick);
            }

            while (sub.Subscriber.TryReadCandle(out CandleEvent candle))
            {
                if (candle.IsClose)
                {
                    closes.Add(candle);
                }
            }

            await pump.DisposeAsync();
            await recorder.DisposeAsync();
            Assert.Equal(0, pump.FirehoseDropped);
            Assert.Equal(0, recorder.Status.Dropped);

            var recordedTicks = new Dictionary<(string, long), Tick>();
            var recordedCloses = new List<(string, string, long)>();
            foreach (JournalRecord record in new JournalLogReader(_directory.FullName, JournalLogKind.Normalized).Read())
            {
                if (record.Kind == JournalRecordKind.Tick)
                {
                    Tick tick = JournalEventCodec.ReadTick(record.Payload.Span, out string symbol);
                    recordedTicks[(symbol, tick.Seq)] = tick;
                }
                else if (record.Kind == JournalRecordKind.CandleClosed)
                {
                    Candle candle = JournalEventCodec.ReadCandle(record.Payload.Span, out string symbol, out CandleInterval interval, out long seq);
                    Assert.True(candle.IsClosed);
                    recordedCloses.Add((symbol, interval.Label, seq));
                }
            }

            Assert.True(delivered.Count > 100, $"{delivered.Count} ticks");
            foreach (Tick tick in delivered)
            {
                Instrument instrument = host.Instruments.Get(tick.Instrument);
                Tick recorded = recordedTicks[(instrument.Symbol, tick.Seq)] with { Instrument = tick.Instrument };
                Assert.Equal(TickJson.ToJson(in tick, instrument), TickJson.ToJson(in recorded, instrument));
                Assert.Equal((tick.VenueSequence, tick.Mode, tick.Updates, tick.Flags), (recorded.VenueSequence, recorded.Mode, recorded.Updates, recorded.Flags));
            }

            Assert.NotEmpty(closes);
            Assert.Subset(recordedCloses.ToHashSet(), closes.Select(c => (host.Instruments.Get(c.Instrument).Symbol, c.Interval.Label, c.Seq)).ToHashSet());
        }
    }
}
