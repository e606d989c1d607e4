using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Hub;

public class MarketHubHistoryTests
{
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");

    [Fact]
    public async Task The_first_request_for_a_new_interval_waits_for_its_history()
    {
        await using var f = new HubFixture();
        var release = new TaskCompletionSource();
        f.Hub.UseHistory(async (_, interval, _, _, _) =>
        {
            await release.Task;
            return interval == M3 ? [Bar(Ist(9, 51)), Bar(Ist(9, 54)), Bar(Ist(9, 57))] : [];
        });

        Task<CandleSnapshot> first = f.Hub.GetCandlesAsync(f.Infy.Id, M3, 10);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);

        release.SetResult();
        CandleSnapshot snapshot = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([Ist(9, 51), Ist(9, 54), Ist(9, 57)], snapshot.Closed.Select(c => c.Start));
    }

    [Fact]
    public async Task The_wait_is_bounded_by_HistoryWait()
    {
        await using var f = new HubFixture(new HubOptions { Partitions = 2, Candles = new CandleOptions { HistoryWait = TimeSpan.FromSeconds(2) } });
        f.Hub.UseHistory((_, _, _, _, token) => Task.Delay(Timeout.Infinite, token).ContinueWith<IReadOnlyList<Candle>>(_ => [], TaskScheduler.Default));

        Task<CandleSnapshot> first = f.Hub.GetCandlesAsync(f.Infy.Id, M3, 10);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);

        f.Clock.Advance(TimeSpan.FromSeconds(2));
        CandleSnapshot snapshot = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(snapshot.Closed);
    }

    private static Candle Bar(DateTime start) =>
        new(start, start.AddMinutes(3), Price.FromDecimal(100m), Price.FromDecimal(101m), Price.FromDecimal(99m), Price.FromDecimal(100.5m), Quantity.FromUnits(10), 0, CandleFlags.Closed | CandleFlags.History);
}
