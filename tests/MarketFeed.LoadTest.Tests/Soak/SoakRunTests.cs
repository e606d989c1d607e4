using MarketFeed.LoadTest.Soak;

namespace MarketFeed.LoadTest.Tests.Soak;

/// <summary>
/// The soak end to end — emulator, the real gateway process, clients, faults — compressed: a short run with every fault
/// kind must pass, and a run whose client sees one instrument's ticks under another's name must fail.
/// </summary>
public class SoakRunTests
{
    /// <summary>The default schedule's faults, a few seconds each, with the gateway's timing shortened to match.</summary>
    private const string Compressed = """
        10s  drop          0s
        14s  silent        5s    # > the 2 s idle timeout
        23s  malformed     4s
        30s  refuse,drop   8s    # > the 3 s failover: polling
        33s  ratelimit=5   3s
        43s  auth,drop     4s
        """;

    [Fact]
    public async Task A_short_soak_through_every_fault_kind_passes()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("soak-test-").FullName, "soak.csv");
        SoakSettings settings = Short(TimeSpan.FromSeconds(60), output) with { Faults = FaultSchedule.Parse(Compressed) };
        var log = new StringWriter();

        SoakResult result = await SoakRunner.RunAsync(settings, log, CancellationToken.None);

        Assert.True(result.Passed, log.ToString() + string.Join('\n', result.Failures));
        Assert.Equal(6, result.Faults.Count);
        Assert.All(result.Faults, f => Assert.NotNull(f.Recovered));
        Assert.Contains(result.Samples, s => s.Status.FeedState == "polling");
        Assert.Contains(result.Samples, s => s.Status.FeedState == "auth_failed");
        Assert.True(result.Checks.Ticks > 10_000, $"{result.Checks.Ticks} ticks checked");
        Assert.True(File.ReadAllLines(output).Length > 20);
    }

    [Fact]
    public async Task A_tick_of_one_instrument_delivered_as_another_fails_the_soak()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("soak-test-").FullName, "soak.csv");
        SoakSettings settings = Short(TimeSpan.FromSeconds(12), output) with
        {
            Faults = FaultSchedule.None,

            // Client 0 sees its first symbol's ticks under its second symbol's name, as a gateway mixing them would send.
            Tamper = (client, symbols) => client == 0
                ? json => json.Replace($"\"symbol\":\"{symbols[0]}\"", $"\"symbol\":\"{symbols[1]}\"", StringComparison.Ordinal)
                : null,
        };

        SoakResult result = await SoakRunner.RunAsync(settings, new StringWriter(), CancellationToken.None);

        Assert.False(result.Passed);
        Assert.True(result.Checks.Mixed > 0);
        Assert.Contains(result.Failures, f => f.Contains("instruments mixed", StringComparison.Ordinal));
    }

    private static SoakSettings Short(TimeSpan duration, string output) => new()
    {
        Duration = duration,
        Rate = 5_000,
        Clients = 8,
        SymbolsPerClient = 10,
        WarmUp = TimeSpan.FromSeconds(6),
        SampleEvery = TimeSpan.FromSeconds(2),
        Output = output,
        StallAfter = TimeSpan.FromSeconds(5),
        IdleTimeout = TimeSpan.FromSeconds(2),
        FailoverAfter = TimeSpan.FromSeconds(3),
        AuthRetryDelay = TimeSpan.FromSeconds(2),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
    };
}
