using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class DoctorCommandTests
{
    [Fact]
    public async Task On_the_simulator_every_check_passes()
    {
        CliRun run = await CliRun.Run("doctor");
        Assert.Equal(0, run.ExitCode);
        string output = run.Output.ToString();
        foreach (string check in new[] { "configuration", "credentials", "instruments", "connectivity", "clock" })
        {
            Assert.Contains(run.OutputLines, l => l.StartsWith("ok", StringComparison.Ordinal) && l.Contains(check, StringComparison.Ordinal));
        }

        Assert.Contains("all checks passed", output);
    }

    [Fact]
    public async Task An_unknown_feed_fails_the_feed_check_naming_the_known_feeds()
    {
        CliRun run = await CliRun.Run("doctor", "--feed", "nosuch");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("available feeds are binance, bus, coinbase, dhan, finnhub, kite, kraken, sim, upstox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_bus_configured_the_broker_is_checked_and_its_failure_named_without_the_password()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closed = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        CliRun run = await CliRun.RunWith(new Dictionary<string, string?> { ["Bus:Url"] = $"amqp://trader:pw-secret@127.0.0.1:{closed}/" }, new StringReader(""), null, "doctor");
        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains(" bus ", StringComparison.Ordinal));
        Assert.Contains($"cannot reach the broker at amqp://trader:***@127.0.0.1:{closed}/", line, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", run.Output.ToString(), StringComparison.Ordinal);
    }
}
