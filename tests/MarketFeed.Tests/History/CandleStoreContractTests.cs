using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>
/// What every candle store does, run against each (SQLite, PostgreSQL): bars come back exactly as written (prices to
/// the last of 8 decimals, every flag), one bar per (symbol, interval, start) with a later write replacing it, ranges
/// half-open and oldest first, series kept apart, and everything still there after the store is closed and reopened.
/// </summary>
public abstract class CandleStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime Day = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private static readonly CandleInterval ThreeMinutes = CandleInterval.Parse("3m");

    private readonly List<ICandleStore> _opened = [];

    /// <summary>A new store object on this test's storage: a second call sees what the first wrote (a restart).</summary>
    protected abstract Task<ICandleStore> CreateStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (ICandleStore store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task Bars_come_back_exactly_as_written()
    {
        ICandleStore store = await OpenAsync();
        Candle[] bars =
        [
            Bar(0, "2934.5", "2940.05", "2931.1", "2939.95", "12345", 17),
            Bar(1, "0.00000001", "0.00000003", "0.00000001", "0.00000002", "123456789.12345678", 3),
            Bar(2, "9999999999.99999999", "9999999999.99999999", "9999999999.5", "9999999999.87654321", "0.00000001", 1),
            Bar(3, "-1.25", "-1.25", "-37.5", "-2", "0", 0, CandleFlags.Closed | CandleFlags.Flat),
        ];
        await store.WriteAsync([.. bars.Select(b => new StoredCandle("BINANCE:BTCUSDT", ThreeMinutes, b))], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("BINANCE:BTCUSDT", ThreeMinutes, Day, Day.AddDays(1), CancellationToken.None);

        Assert.Equal(bars, read);
        Assert.All(read, c => Assert.Equal(DateTimeKind.Utc, c.Start.Kind));
    }

    [StoreFact]
    public async Task An_absent_volume_stays_absent_and_zero_stays_zero()
    {
        ICandleStore store = await OpenAsync();
        Candle absent = Bar(0, "10", "11", "9", "10.5", "1", 2) with { Volume = Quantity.None };
        Candle zero = Bar(1, "10", "11", "9", "10.5", "0", 2);
        await store.WriteAsync([new("NSE:NIFTY 50", ThreeMinutes, absent), new("NSE:NIFTY 50", ThreeMinutes, zero)], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("NSE:NIFTY 50", ThreeMinutes, Day, Day.AddHours(1), CancellationToken.None);

        Assert.False(read[0].Volume.HasValue);
        Assert.Equal(Quantity.Zero, read[1].Volume);
    }

    [StoreFact]
    public async Task Every_flag_round_trips()
    {
        ICandleStore store = await OpenAsync();
        CandleFlags[] flags =
        [
            CandleFlags.Closed,
            CandleFlags.Closed | CandleFlags.History,
            CandleFlags.Closed | CandleFlags.Revised,
            CandleFlags.Closed | CandleFlags.Backfilled | CandleFlags.History,
            CandleFlags.Closed | CandleFlags.Partial,
            CandleFlags.Closed | CandleFlags.Flat,
            CandleFlags.Closed | CandleFlags.Flat | CandleFlags.Partial | CandleFlags.Revised | CandleFlags.Backfilled | CandleFlags.History,
        ];
        await store.WriteAsync([.. flags.Select((f, i) => new StoredCandle("NSE:INFY", ThreeMinutes, Bar(i, "1500", "1501", "1499", "1500.5", "10", 4, f)))], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("NSE:INFY", ThreeMinutes, Day, Day.AddHours(1), CancellationToken.None);

        Assert.Equal(flags, read.Select(c => c.Flags));
    }

    [StoreFact]
    public async Task A_later_write_replaces_the_bar_at_the_same_key()
    {
        ICandleStore store = await OpenAsync();
        Candle live = Bar(0, "100", "105", "99", "104", "50", 9);
        Candle official = Bar(0, "100.5", "106", "98.5", "104", "61", 0, CandleFlags.Closed | CandleFlags.Revised);
        await store.WriteAsync([new("NSE:INFY", ThreeMinutes, live), new("NSE:INFY", ThreeMinutes, Bar(1, "104", "104", "104", "104", "1", 1))], CancellationToken.None);
        await store.WriteAsync([new("NSE:INFY", ThreeMinutes, official)], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("NSE:INFY", ThreeMinutes, Day, Day.AddHours(1), CancellationToken.None);

        Assert.Equal(2, read.Count);
        Assert.Equal(official, read[0]);
    }

    [StoreFact]
    public async Task Within_one_batch_the_last_bar_for_a_key_wins()
    {
        ICandleStore store = await OpenAsync();
        Candle first = Bar(0, "1", "2", "1", "2", "1", 1);
        Candle second = Bar(0, "1", "3", "1", "3", "2", 2, CandleFlags.Closed | CandleFlags.Backfilled);
        await store.WriteAsync([new("NSE:INFY", ThreeMinutes, first), new("NSE:INFY", ThreeMinutes, second)], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("NSE:INFY", ThreeMinutes, Day, Day.AddHours(1), CancellationToken.None);

        Assert.Equal([second], read);
    }

    [StoreFact]
    public async Task A_range_is_half_open_and_oldest_first_whatever_the_write_order()
    {
        ICandleStore store = await OpenAsync();
        int[] order = [5, 0, 3, 9, 1, 7, 2, 8, 4, 6];
        await store.WriteAsync([.. order.Select(i => new StoredCandle("NSE:INFY", ThreeMinutes, Bar(i, "10", "10", "10", "10", "1", 1)))], CancellationToken.None);

        IReadOnlyList<Candle> read = await store.ReadAsync("NSE:INFY", ThreeMinutes, Start(2), Start(6), CancellationToken.None);

        Assert.Equal([Start(2), Start(3), Start(4), Start(5)], read.Select(c => c.Start));
        Assert.Empty(await store.ReadAsync("NSE:INFY", ThreeMinutes, Start(10), Start(20), CancellationToken.None));
        Assert.Empty(await store.ReadAsync("NSE:UNKNOWN", ThreeMinutes, Day, Day.AddDays(1), CancellationToken.None));
    }

    [StoreFact]
    public async Task Series_of_different_symbols_and_intervals_are_kept_apart()
    {
        ICandleStore store = await OpenAsync();
        string[] symbols = ["NSE:INFY", "NSE:NIFTY 50", "BINANCE:BTCUSDT"];
        CandleInterval[] intervals = [CandleInterval.OneMinute, ThreeMinutes, CandleInterval.OneDay];
        var rows = new List<StoredCandle>();
        for (int s = 0; s < symbols.Length; s++)
        {
            for (int i = 0; i < intervals.Length; i++)
            {
                // Same start for every series: only the key tells them apart; the close says which series a bar is.
                rows.Add(new StoredCandle(symbols[s], intervals[i], Bar(0, "1", "1", "1", $"{(s * 10) + i}", "1", 1) with { End = Day + intervals[i].Length }));
            }
        }

        await store.WriteAsync(rows, CancellationToken.None);

        for (int s = 0; s < symbols.Length; s++)
        {
            for (int i = 0; i < intervals.Length; i++)
            {
                IReadOnlyList<Candle> read = await store.ReadAsync(symbols[s], intervals[i], Day, Day.AddDays(1), CancellationToken.None);
                Candle only = Assert.Single(read);
                Assert.Equal(Price.FromDecimal((s * 10) + i), only.Close);
                Assert.Equal(Day + intervals[i].Length, only.End);
            }
        }
    }

    [StoreFact]
    public async Task What_was_written_is_there_after_a_restart()
    {
        ICandleStore first = await OpenAsync();
        Candle[] bars = [.. Enumerable.Range(0, 500).Select(i => Bar(i, "2934.5", "2940", "2930", $"{2934 + (i * 0.05m)}", $"{i}", i))];
        await first.WriteAsync([.. bars.Select(b => new StoredCandle("NSE:RELIANCE", ThreeMinutes, b))], CancellationToken.None);
        await first.DisposeAsync();
        _opened.Remove(first);

        ICandleStore second = await OpenAsync();

        Assert.Equal(bars, await second.ReadAsync("NSE:RELIANCE", ThreeMinutes, Day, Day.AddDays(2), CancellationToken.None));
    }

    [StoreFact]
    public async Task Opening_twice_and_writing_nothing_change_nothing()
    {
        ICandleStore store = await OpenAsync();
        await store.OpenAsync(CancellationToken.None);
        await store.WriteAsync([], CancellationToken.None);

        Assert.Empty(await store.ReadAsync("NSE:INFY", ThreeMinutes, Day, Day.AddDays(1), CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(store.Description));
    }

    protected static DateTime Start(int index) => Day + (ThreeMinutes.Length * index);

    protected static Candle Bar(int index, string open, string high, string low, string close, string volume, int ticks, CandleFlags flags = CandleFlags.Closed) =>
        new(Start(index), Start(index + 1), Price.Parse(open), Price.Parse(high), Price.Parse(low), Price.Parse(close),
            Quantity.TryParse(volume, out Quantity q) ? q : throw new FormatException(volume), ticks, flags);

    protected async Task<ICandleStore> OpenAsync()
    {
        ICandleStore store = await CreateStoreAsync();
        _opened.Add(store);
        await store.OpenAsync(CancellationToken.None);
        return store;
    }
}
