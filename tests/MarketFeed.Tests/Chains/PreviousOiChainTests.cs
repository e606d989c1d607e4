using MarketFeed.Chains;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Chains;

/// <summary>
/// Each Indian venue's way to the previous day's OI, end to end against its emulator (the simulator behind it): Dhan's
/// previous-close packet on the stream, Kite's daily candles with <c>oi=1</c>, Upstox's daily candles' oi column. The
/// chain measures OI change from it and says so; the values are the simulator's, to the unit.
/// </summary>
public class PreviousOiChainTests
{
    [Fact]
    public async Task Dhan_s_previous_close_packet_gives_the_chain_the_previous_day_s_oi()
    {
        await using DhanVenue venue = await DhanVenue.StartAsync(ticksPerSecond: 20);
        await venue.WaitForStateAsync(FeedState.Connected);
        await AssertPreviousDayAsync(venue.Host);
    }

    [Fact]
    public async Task Kite_s_daily_candles_with_oi_give_the_chain_the_previous_day_s_oi()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(ticksPerSecond: 20);
        await venue.WaitForStateAsync(FeedState.Connected);
        // Kite's quote packets carry no OI: its full mode does.
        await AssertPreviousDayAsync(venue.Host, FeedMode.Full);
    }

    [Fact]
    public async Task Upstox_s_daily_candles_give_the_chain_the_previous_day_s_oi()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(ticksPerSecond: 20);
        await venue.WaitForStateAsync(FeedState.Connected);
        await AssertPreviousDayAsync(venue.Host);
    }

    private static async Task AssertPreviousDayAsync(MarketFeedHost host, FeedMode mode = FeedMode.Quote)
    {
        await using LiveChain chain = host.Chains.Open("NIFTY", strikesEachSide: 2, mode: mode);
        await SimulatedHost.WaitUntil(
            () => chain.Snapshot().Rows.All(r => r.Call.OiBasis == OiChangeBasis.PreviousDay && r.Put.OiBasis == OiChangeBasis.PreviousDay), 30_000);
        ChainView view = chain.Snapshot();
        Dictionary<string, Quantity> expected = await SimulatorPreviousOiAsync(view.Rows.SelectMany(r => new[] { r.Call, r.Put }).Select(s => host.Instruments.Get(s.Instrument).Symbol));
        foreach (ChainSide side in view.Rows.SelectMany(r => new[] { r.Call, r.Put }))
        {
            string symbol = host.Instruments.Get(side.Instrument).Symbol;
            Assert.True(expected[symbol] == side.PreviousOi, $"{symbol}: simulator {expected[symbol]}, chain {side.PreviousOi}");
            Assert.Equal(side.Oi - side.PreviousOi, side.OiChange);
        }
    }

    /// <summary>What the simulator (the emulators' seed and universe) says each option's previous-day OI is.</summary>
    private static async Task<Dictionary<string, Quantity>> SimulatorPreviousOiAsync(IEnumerable<string> symbols)
    {
        var feed = new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 0 }, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed]);
        Instrument[] options = [.. symbols.Select(s => host.Instruments.TryGetBySymbol(s, out Instrument? i) ? i : throw new InvalidOperationException($"the simulator lists no {s}"))];
        var answers = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        await foreach (PreviousOpenInterest answer in feed.GetPreviousOpenInterestAsync(options, CancellationToken.None))
        {
            answers[host.Instruments.Get(answer.Instrument).Symbol] = answer.Oi;
        }

        return answers;
    }
}
