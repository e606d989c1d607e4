using MarketFeed.Emulators.Faults;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Tests.Faults;

/// <summary>The fault spec every emulator shares: what `--faults` and `POST /_emulator/faults` accept, and what each does to a tick.</summary>
public class EmulatorFaultsTests
{
    [Fact]
    public void A_spec_turns_faults_on_and_a_leading_minus_turns_one_off()
    {
        var faults = new EmulatorFaults();
        faults.Apply("auth, silent,malformed,refuse,restdown,oddtext,absurd,timejump=-30,oversized=1024,ratelimit=2");
        Assert.True(faults.RejectAuth && faults.Silent && faults.Malformed && faults.RefuseStream && faults.RestDown && faults.OddText && faults.Absurd);
        Assert.Equal((-30L, 1024L, 2), (faults.TimeShiftSeconds, faults.OversizedFrameBytes, faults.RateLimitNext));

        faults.Apply("-silent,-timejump,-ratelimit");
        Assert.False(faults.Silent);
        Assert.True(faults.RejectAuth);
        Assert.Equal((0L, 0), (faults.TimeShiftSeconds, faults.RateLimitNext));

        faults.Apply("timejump,oversized,ratelimit");
        Assert.Equal((600L, 64L * 1024 * 1024, 5), (faults.TimeShiftSeconds, faults.OversizedFrameBytes, faults.RateLimitNext));
    }

    [Theory]
    [InlineData("silent,bogus", "unknown fault 'bogus'")]
    [InlineData("auth,ratelimit=many", "fault 'ratelimit' needs a whole number after '=', not 'many'")]
    [InlineData("restdown,fuzztarget=", "fault 'fuzztarget' needs a value after '='")]
    public void A_bad_spec_says_what_is_wrong_and_changes_nothing(string spec, string message)
    {
        var faults = new EmulatorFaults();
        ArgumentException e = Assert.Throws<ArgumentException>(() => faults.Apply(spec));
        Assert.StartsWith(message, e.Message);
        Assert.False(faults.Silent || faults.RejectAuth || faults.RestDown, "nothing of a rejected spec takes effect");
    }

    [Fact]
    public void Rate_limits_and_the_oversized_frame_are_taken_one_at_a_time()
    {
        var faults = new EmulatorFaults();
        faults.Apply("ratelimit=3,oversized=4096");
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => faults.TakeRateLimit()));
        Assert.Equal(4096, faults.TakeOversizedFrame());
        Assert.Equal(0, faults.TakeOversizedFrame());
    }

    [Fact]
    public void Absurd_ticks_never_come_twice_in_a_row_for_an_instrument_and_cycle_through_every_kind()
    {
        var faults = new EmulatorFaults();
        faults.Apply("absurd");
        var seen = new List<string>();
        for (int i = 0; i < 16; i++)
        {
            Tick tick = Sample(new InstrumentId(7));
            Tick original = tick;
            faults.Distort(ref tick);
            string kind = tick.Ltp != original.Ltp ? "price"
                : tick.High != original.High ? "high-below-low"
                : tick.Bid != original.Bid ? "crossed"
                : tick.Ltq != original.Ltq ? "trade-above-volume"
                : "true";
            seen.Add(kind);
        }

        Assert.All(seen.Where((_, i) => i % 2 == 0), k => Assert.Equal("true", k));
        string[] distorted = [.. seen.Where((_, i) => i % 2 == 1)];
        Assert.DoesNotContain("true", distorted);
        Assert.Equal(["crossed", "high-below-low", "price", "trade-above-volume"], distorted.Distinct().Order());
    }

    [Fact]
    public void A_time_jump_moves_the_exchange_time_and_nothing_else()
    {
        var faults = new EmulatorFaults();
        faults.Apply("timejump=90");
        Tick tick = Sample(new InstrumentId(3));
        Tick original = tick;
        faults.Distort(ref tick);
        Assert.Equal(original.ExchangeTime.AddSeconds(90), tick.ExchangeTime);
        Assert.Equal((original.Ltp, original.Bid, original.ReceiveTime), (tick.Ltp, tick.Bid, tick.ReceiveTime));
    }

    [Fact]
    public void A_delay_makes_every_tick_older_than_when_it_is_sent_until_turned_off()
    {
        var faults = new EmulatorFaults();
        faults.Apply("delay=750");
        Tick tick = Sample(new InstrumentId(3));
        Tick original = tick;
        faults.Distort(ref tick);
        Assert.Equal(original.ExchangeTime.AddMilliseconds(-750), tick.ExchangeTime);
        Assert.Equal((original.Ltp, original.Bid, original.ReceiveTime), (tick.Ltp, tick.Bid, tick.ReceiveTime));

        faults.Apply("-delay");
        tick = Sample(new InstrumentId(3));
        faults.Distort(ref tick);
        Assert.Equal(original.ExchangeTime, tick.ExchangeTime);
        faults.Apply("delay");
        Assert.Equal(500, faults.DelayMilliseconds);
    }

    private static Tick Sample(InstrumentId instrument) => new(instrument)
    {
        Ltp = Price.FromDecimal(1500m),
        Ltq = Quantity.FromDecimal(10m),
        Volume = Quantity.FromDecimal(5_000m),
        High = Price.FromDecimal(1510m),
        Low = Price.FromDecimal(1490m),
        Bid = Price.FromDecimal(1499.95m),
        Ask = Price.FromDecimal(1500.05m),
        ExchangeTime = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc),
        ReceiveTime = new DateTime(2026, 11, 20, 4, 0, 0, 50, DateTimeKind.Utc),
    };
}
