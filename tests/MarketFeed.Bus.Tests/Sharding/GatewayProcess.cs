using System.Diagnostics;
using System.Text;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>
/// <c>marketfeed run</c> as a child process (the suite's own build of the CLI), configured through its environment as a
/// user would, so a test can kill it the hard way (SIGKILL: no shutdown code runs) and start it again.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private GatewayProcess(Process process) => _process = process;

    /// <summary>What it printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>marketfeed {arguments}</c> and waits for its banner (the gateway serving).</summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string arguments)
    {
        string cli = Path.Combine(RepositoryRoot(), "src", "MarketFeed.Cli", "bin", Configuration, "net10.0", "marketfeed.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{cli}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var gateway = new GatewayProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = gateway.PumpAsync(gateway._process.StandardOutput, line => line.Contains("MarketFeed gateway on", StringComparison.Ordinal), serving);
        _ = gateway.PumpAsync(gateway._process.StandardError, _ => false, serving);
        if (await Task.WhenAny(serving.Task, Task.Delay(TimeSpan.FromSeconds(90))) != serving.Task)
        {
            await gateway.DisposeAsync();
            throw new TimeoutException("marketfeed run did not start in 90 s:\n" + gateway.Output);
        }

        return gateway;
    }

    /// <summary>SIGKILL: the process ends at once, without closing its connections or saving anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, Func<string, bool> banner, TaskCompletionSource serving)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }

            if (banner(line))
            {
                serving.TrySetResult();
            }
        }
    }

    private static string RepositoryRoot()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketFeed.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no MarketFeed.slnx above {AppContext.BaseDirectory}");
    }
}
