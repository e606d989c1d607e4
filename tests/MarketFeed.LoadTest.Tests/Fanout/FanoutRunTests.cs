using MarketFeed.LoadTest.Fanout;

namespace MarketFeed.LoadTest.Tests.Fanout;

/// <summary>
/// The fan-out benchmark end to end, tiny: the baseline broadcaster and the real gateway, each in its own process,
/// serve the same clients; both deliver ticks, the gateway reports its counters, and a frozen client is left out of
/// the figures. Functional only: no figure is compared with a threshold.
/// </summary>
public class FanoutRunTests
{
    [Fact]
    public async Task A_tiny_run_measures_the_baseline_the_gateway_and_the_gateway_with_a_frozen_client()
    {
        var output = new StringWriter();
        IReadOnlyList<IReadOnlyList<PhaseResult>> rounds = await FanoutCommand.MeasureAsync(new FanoutSettings(20, 3, 500, 3, 1, Batch: false, Frozen: true, Http: false, WarmUpSeconds: 3), output);

        IReadOnlyList<PhaseResult> phases = Assert.Single(rounds);
        Assert.Equal(["baseline", "gateway", "gateway, frozen client in alternate windows"], phases.Select(p => p.Name));
        Assert.All(phases, p => Assert.True(p.MessagesPerSecond > 0 && p.P99Ms > 0, $"{p.Name}: {p.MessagesPerSecond} ticks/s, p99 {p.P99Ms} ms\n{output}"));
        Assert.All(phases, p => Assert.Equal(0, p.Failed));
        Assert.Null(phases[0].Gateway);
        Assert.True(phases[1].Gateway!.AdmittedPerSecond > 0);
        Assert.True(phases[1].Gateway!.EncodedPerSecond > 0);
        Assert.Equal(0, phases[1].Gateway!.IngestFull);
        Assert.Contains("| measure | baseline | gateway | gateway, frozen client in alternate windows |", output.ToString());
        Assert.True(phases[2].Frozen!.P99WithMs > 0 && phases[2].Frozen!.P99WithoutMs > 0);
    }

    [Fact]
    public async Task Batched_frames_are_counted_tick_by_tick_on_both_servers()
    {
        IReadOnlyList<IReadOnlyList<PhaseResult>> rounds = await FanoutCommand.MeasureAsync(new FanoutSettings(10, 3, 500, 2, 1, Batch: true, Frozen: false, Http: false, WarmUpSeconds: 3), TextWriter.Null);
        Assert.All(Assert.Single(rounds), p => Assert.True(p.MessagesPerSecond > 0 && p.P99Ms > 0, $"{p.Name}: {p.MessagesPerSecond} ticks/s"));
    }
}
