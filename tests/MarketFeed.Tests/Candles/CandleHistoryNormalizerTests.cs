using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class CandleHistoryNormalizerTests
{
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");
    private static readonly SessionCalendar Nse = SessionCalendar.IndianEquity;

    [Fact]
    public void Out_of_order_bars_are_sorted_and_counted()
    {
        Candle[] answer = [Bar(Ist(9, 21)), Bar(Ist(9, 15)), Bar(Ist(9, 18))];

        IReadOnlyList<Candle> bars = CandleHistoryNormalizer.Normalize(answer, Nse, M3, Ist(10, 0), out HistoryAnswerCounts counts);

        Assert.Equal([Ist(9, 15), Ist(9, 18), Ist(9, 21)], bars.Select(b => b.Start));
        Assert.Equal(1, counts.OutOfOrder);
        Assert.Equal(0, counts.Skipped);
    }

    [Fact]
    public void A_duplicated_bar_is_kept_once_the_later_copy_winning()
    {
        Candle first = Bar(Ist(9, 18), close: 100m);
        Candle again = Bar(Ist(9, 18), close: 100.5m);

        IReadOnlyList<Candle> bars = CandleHistoryNormalizer.Normalize([Bar(Ist(9, 15)), first, again], Nse, M3, Ist(10, 0), out HistoryAnswerCounts counts);

        Assert.Equal([Ist(9, 15), Ist(9, 18)], bars.Select(b => b.Start));
        Assert.Equal(Price.FromDecimal(100.5m), bars[1].Close);
        Assert.Equal(1, counts.Duplicates);
    }

    [Fact]
    public void Bars_off_the_session_grid_are_moved_onto_it_or_dropped_outside_the_session()
    {
        // 09:16:30 lies in the 09:15 bar; 09:00 and 15:45 are outside the session; Saturday has none.
        Candle inside = Bar(Ist(9, 16, 30));
        Candle beforeOpen = Bar(Ist(9, 0));
        Candle afterClose = Bar(Ist(15, 45));
        Candle saturday = Bar(Ist(new DateOnly(2026, 11, 21), 10, 0));

        IReadOnlyList<Candle> bars = CandleHistoryNormalizer.Normalize([beforeOpen, inside, afterClose, saturday], Nse, M3, Ist(16, 0), out HistoryAnswerCounts counts);

        Candle moved = Assert.Single(bars);
        Assert.Equal((Ist(9, 15), Ist(9, 18)), (moved.Start, moved.End));
        Assert.Equal((1, 3), (counts.Rebucketed, counts.OffGrid));
    }

    [Fact]
    public void The_clipped_last_bar_of_the_session_ends_at_the_close()
    {
        CandleInterval hour = CandleInterval.Parse("1h");
        Candle last = Bar(Ist(15, 15)) with { End = Ist(16, 15) };

        Candle bar = Assert.Single(CandleHistoryNormalizer.Normalize([last], Nse, hour, Ist(16, 0), out _));

        Assert.Equal(Ist(15, 30), bar.End);
    }

    [Fact]
    public void A_daily_bar_stamped_at_midnight_goes_to_that_days_session()
    {
        CandleInterval day = CandleInterval.Parse("1d");
        Candle midnight = Bar(Ist(0, 0)) with { End = Ist(0, 0).AddDays(1) };

        Candle bar = Assert.Single(CandleHistoryNormalizer.Normalize([midnight], Nse, day, Ist(16, 0), out HistoryAnswerCounts counts));

        Assert.Equal((Ist(9, 15), Ist(15, 30)), (bar.Start, bar.End));
        Assert.Equal(1, counts.Rebucketed);
    }

    [Fact]
    public void Bars_not_yet_ended_and_impossible_bars_are_skipped_and_counted()
    {
        Candle forming = Bar(Ist(9, 57));
        Candle highBelowLow = Bar(Ist(9, 15)) with { High = Price.FromDecimal(90m) };
        Candle closeAboveHigh = Bar(Ist(9, 18)) with { Close = Price.FromDecimal(102m) };
        Candle zero = Bar(Ist(9, 21)) with { Low = Price.FromDecimal(0m), Open = Price.FromDecimal(0m) };
        Candle missing = Bar(Ist(9, 24)) with { Close = Price.None };

        IReadOnlyList<Candle> bars = CandleHistoryNormalizer.Normalize([highBelowLow, closeAboveHigh, zero, missing, Bar(Ist(9, 27)), forming], Nse, M3, Ist(9, 58), out HistoryAnswerCounts counts);

        Assert.Equal([Ist(9, 27)], bars.Select(b => b.Start));
        Assert.Equal((4, 1, 5), (counts.Invalid, counts.NotEnded, counts.Skipped));
    }

    [Fact]
    public void Kept_bars_are_closed_history_and_never_partial()
    {
        Candle bar = Assert.Single(CandleHistoryNormalizer.Normalize([Bar(Ist(9, 15)) with { Flags = CandleFlags.Partial }], Nse, M3, Ist(10, 0), out _));

        Assert.Equal(CandleFlags.Closed | CandleFlags.History, bar.Flags);
        Assert.Equal(CandleOrigin.History, bar.Origin);
    }

    private static Candle Bar(DateTime start, decimal close = 100m) =>
        new(start, start.AddMinutes(3), Price.FromDecimal(99.5m), Price.FromDecimal(101m), Price.FromDecimal(99m), Price.FromDecimal(close), Quantity.FromUnits(10), 0, CandleFlags.Closed);
}
