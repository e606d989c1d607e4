using MarketFeed.LoadTest.Soak;
using MarketFeed.Model;

namespace MarketFeed.LoadTest.Tests.Soak;

public class TickCheckerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 20, 4, 0, 0, TimeSpan.Zero);

    private readonly TickLedger _ledger = new(["NSE:AAA", "NSE:BBB", "NSE:CCC", "NSE:NIFTY 50"]);
    private readonly ViolationLog _log = new();

    public TickCheckerTests()
    {
        Send("NSE:AAA", 100.05m, 1_000);
        Send("NSE:BBB", 100.10m, 2_000);
        Send("NSE:NIFTY 50", 24_000.35m, null);
    }

    [Fact]
    public void A_tick_the_emulator_sent_for_that_instrument_passes_and_gives_its_latency()
    {
        TickChecker checker = Checker("NSE:AAA", "NSE:NIFTY 50");
        Assert.True(checker.Check(Tick("NSE:AAA", 1, 100.05m, 1_000), s_now, out double latency));
        Assert.True(checker.Check(Tick("NSE:NIFTY 50", 1, 24_000.35m, null), s_now, out _));
        Assert.Equal(12, latency, 3);
        Assert.Equal(new CheckCounts(2, 0, 0, 0, 0, 0, 0, 0, 0), checker.Counts);
    }

    [Fact]
    public void Another_instruments_price_on_a_tick_is_counted_as_mixed_and_named()
    {
        TickChecker checker = Checker("NSE:AAA", "NSE:BBB");
        checker.Check(Tick("NSE:AAA", 1, 100.10m, 2_000), s_now, out _);
        Assert.Equal(1, checker.Counts.Mixed);
        Assert.Equal(1, checker.Counts.Violations);
        Assert.Contains("which the emulator sent for NSE:BBB", _log.FirstOf("mixed"));
    }

    [Fact]
    public void The_same_price_with_another_instruments_volume_is_not_its_own()
    {
        TickChecker checker = Checker("NSE:AAA");
        checker.Check(Tick("NSE:AAA", 1, 100.05m, 2_000), s_now, out _);
        Assert.Equal(1, checker.Counts.Unmatched);
    }

    [Fact]
    public void A_symbol_the_client_did_not_subscribe_is_a_violation()
    {
        TickChecker checker = Checker("NSE:AAA");
        checker.Check(Tick("NSE:BBB", 1, 100.10m, 2_000), s_now, out _);
        checker.Check(Tick("NSE:UNKNOWN", 1, 1m, 1), s_now, out _);
        Assert.Equal(2, checker.Counts.WrongSymbol);
        Assert.Contains("NSE:BBB, which it did not subscribe", _log.FirstOf("symbol"));
    }

    [Fact]
    public void Seq_going_back_is_a_regression_and_the_same_seq_again_a_duplicate()
    {
        TickChecker checker = Checker("NSE:AAA");
        checker.Check(Tick("NSE:AAA", 5, 100.05m, 1_000), s_now, out _);
        checker.Check(Tick("NSE:AAA", 7, 100.05m, 1_000), s_now, out _);
        checker.Check(Tick("NSE:AAA", 7, 100.05m, 1_000), s_now, out _);
        checker.Check(Tick("NSE:AAA", 6, 100.05m, 1_000), s_now, out _);
        Assert.Equal((1, 1, 2), (checker.Counts.SeqRegressions, checker.Counts.Duplicates, checker.Counts.Violations));
        Assert.Equal("client 0: NSE:AAA seq 6 after 7", _log.FirstOf("seq"));
    }

    [Fact]
    public void A_price_nobody_sent_is_unmatched_on_the_stream_but_only_unverified_when_polled_or_flagged()
    {
        TickChecker checker = Checker("NSE:AAA");
        checker.Check(Tick("NSE:AAA", 1, 99m, 5), s_now, out _);
        checker.Check(Tick("NSE:AAA", 2, 99m, 5, source: "poll"), s_now, out _);
        checker.Check(Tick("NSE:AAA", 3, 99m, 5, flags: "\"flags\":[\"outlier\"],"), s_now, out _);
        Assert.Equal((1, 2), (checker.Counts.Unmatched, checker.Counts.Unverified));
    }

    [Fact]
    public void Acks_are_ignored_errors_and_garbage_are_counted()
    {
        TickChecker checker = Checker("NSE:AAA");
        Assert.False(checker.Check("""{"type":"ack","op":"subscribe","symbols":["NSE:AAA"],"channels":["ticks"]}"""u8, s_now, out _));
        Assert.False(checker.Check("""{"type":"error","message":"unknown symbol"}"""u8, s_now, out _));
        Assert.False(checker.Check("{not json"u8, s_now, out _));
        Assert.Equal((0, 1, 1), (checker.Counts.Ticks, checker.Counts.ServerErrors, checker.Counts.Unreadable));
    }

    private TickChecker Checker(params string[] subscribed) => new(0, subscribed, _ledger, _log);

    private void Send(string symbol, decimal ltp, long? volume)
    {
        Assert.True(_ledger.TryGetSlot(symbol, out int slot));
        var tick = new Tick(default) { Ltp = Price.FromDecimal(ltp), Volume = volume is { } v ? Quantity.FromUnits(v) : Quantity.None };
        _ledger.Record(slot, in tick);
    }

    private static byte[] Tick(string symbol, long seq, decimal ltp, long? volume, string source = "stream", string flags = "") =>
        System.Text.Encoding.UTF8.GetBytes(
            $$"""{"type":"tick","symbol":"{{symbol}}","feed":"kite","seq":{{seq}},"exchangeTime":null,"receiveTime":"2026-11-20T09:29:59.988+05:30","ltp":{{ltp}},"volume":{{(volume is { } v ? v.ToString() : "null")}},"source":"{{source}}",{{flags}}"close":1}""");
}
