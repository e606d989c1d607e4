using System.Net;
using System.Net.Sockets;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class RunCommandTests
{
    [Fact]
    public async Task A_taken_port_is_one_line_suggesting_urls_with_nothing_on_stdout()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        CliRun run = await CliRun.Run("run", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output.ToString());
        string error = run.Error.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        Assert.Contains($"http://127.0.0.1:{port} is already in use", error);
        Assert.Contains("--urls", error);
    }
}
