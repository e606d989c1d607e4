using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Serialization;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Simulation;

/// <summary>A simulated market says it is simulated, and on session hours NSE is closed when the exchange is.</summary>
public class SimulatorSessionTests
{
    // Sunday 22 November 2026, 11:00 IST.
    private static readonly DateTimeOffset s_sunday = new(2026, 11, 22, 5, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false, "24/7")]
    [InlineData(true, "session hours")]
    public async Task Status_marks_the_feed_simulated_and_how_it_runs(bool sessionHours, string expected)
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync(new SimulatorOptions { FollowSessionHours = sessionHours }, start: s_sunday);
        await using MarketFeedHost owned = host;
        await using MarketSubscription sub = host.Subscribe("NSE:INFY");

        MarketStatus status = new HealthMonitor(host.Hub, host.Feeds).Report();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StatusJson.Write(writer, status);
        }

        using JsonDocument json = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(expected, json.RootElement.GetProperty("feeds")[0].GetProperty("simulated").GetString());
        Assert.Equal(sessionHours ? "closed" : "initializing", json.RootElement.GetProperty("instruments")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void On_session_hours_NSE_has_no_daily_bars_on_weekends_or_exchange_holidays()
    {
        var registry = new InstrumentRegistry();
        List<(SimulatedSpec Spec, Instrument Instrument)> universe =
            [.. SimulatorUniverse.Build("sim", new DateOnly(2026, 11, 20), aroundTheClock: false).Select(s => (s, registry.Register(s.Definition)))];
        var market = new SimulatorMarket(universe, 42);
        SimulatedInstrument infy = market.Find(universe.First(u => u.Instrument.Symbol == "NSE:INFY").Instrument.Id)!;

        IReadOnlyList<Candle> daily = SimulatorHistory.Build(infy, CandleInterval.OneDay, s_sunday.UtcDateTime.AddDays(7), 60, 42);

        Assert.Equal(60, daily.Count);
        Assert.DoesNotContain(daily, c => c.Start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.DoesNotContain(daily, c => NseHolidays.Year2026.Contains(DateOnly.FromDateTime(c.Start)));
        Assert.Contains(daily, c => DateOnly.FromDateTime(c.Start) == new DateOnly(2026, 11, 23));
        Assert.DoesNotContain(daily, c => DateOnly.FromDateTime(c.Start) == new DateOnly(2026, 11, 24));
    }
}
