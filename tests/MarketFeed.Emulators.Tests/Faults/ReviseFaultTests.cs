using MarketFeed.Candles;
using MarketFeed.Emulators.Faults;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Tests.Faults;

/// <summary>The <c>revise=N</c> fault: history answers that differ from what the stream showed, on a known set of bars.</summary>
public class ReviseFaultTests
{
    private static readonly Price Tick = Price.FromDecimal(0.05m);

    [Fact]
    public void Revise_raises_the_high_by_one_tick_and_the_volume_by_one_on_bars_whose_start_minute_is_a_multiple_of_N()
    {
        var faults = new EmulatorFaults();
        faults.Apply("revise=3");
        DateTime start = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc); // minute 29,379,360 since the epoch: a multiple of 3
        Candle[] bars = [.. Enumerable.Range(0, 6).Select(i => Bar(start.AddMinutes(i)))];

        IReadOnlyList<Candle> revised = faults.Revise(bars, Tick);

        Assert.Equal([true, false, false, true, false, false], revised.Zip(bars, (r, b) => r != b));
        Assert.Equal(Price.FromDecimal(101.05m), revised[0].High);
        Assert.Equal(Quantity.FromDecimal(11m), revised[3].Volume);
        Assert.Equal((bars[0].Open, bars[0].Low, bars[0].Close), (revised[0].Open, revised[0].Low, revised[0].Close));
    }

    [Fact]
    public void Revise_is_off_by_default_and_after_minus_revise()
    {
        var faults = new EmulatorFaults();
        Candle[] bars = [Bar(new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc))];
        Assert.Same(bars, faults.Revise(bars, Tick));

        faults.Apply("revise");
        Assert.Equal(1, faults.ReviseEvery);
        faults.Apply("-revise");
        Assert.Same(bars, faults.Revise(bars, Tick));
    }

    private static Candle Bar(DateTime start) =>
        new(start, start.AddMinutes(1), Price.FromDecimal(100m), Price.FromDecimal(101m), Price.FromDecimal(99.5m), Price.FromDecimal(100.5m),
            Quantity.FromDecimal(10m), 0, CandleFlags.Closed | CandleFlags.History);
}
