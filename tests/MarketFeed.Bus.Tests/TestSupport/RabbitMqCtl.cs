using System.Diagnostics;

namespace MarketFeed.Bus.Tests.TestSupport;

/// <summary>
/// Runs Debian's <c>rabbitmqctl</c> against the local node (directly as root, through <c>sudo -n</c> otherwise: the
/// tool only runs as root or as the rabbitmq user). Administration only: tests talk AMQP to the broker itself.
/// </summary>
internal static class RabbitMqCtl
{
    private const string Path = "/usr/sbin/rabbitmqctl";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<string> RunAsync(params string[] arguments)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing: the bus tests create a virtual host per test with it (scripts/services/rabbitmq.sh installs it)");
        }

        bool root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? Path : "sudo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!root)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(Path);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds:F0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await error).Trim()}");
        }

        return await output;
    }
}
