using System.Diagnostics;
using System.Net.Sockets;

namespace MarketFeed.Bus.Tests.TestSupport;

/// <summary>
/// The real RabbitMQ broker the bus tests run against (scripts/services/rabbitmq.sh installs and starts it): each
/// instance is a virtual host of its own, so a test's streams, exchange and bindings never meet another test's or
/// another run's, and disposing it deletes them all. <c>MARKETFEED_TEST_RABBITMQ</c> overrides the broker
/// (default <c>amqp://guest:guest@127.0.0.1:5672</c>). Use with <see cref="RabbitMqFactAttribute"/>: a missing broker
/// skips the test with the reason, or fails it under <c>CI=true</c>.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    private const string VhostPrefix = "mftest-";
    private static readonly Lazy<string?> Missing = new(Probe);
    private static readonly Lazy<Task> Sweep = new(SweepAbandonedAsync);

    private RabbitMqBroker(string virtualHost)
    {
        VirtualHost = virtualHost;
        Uri = new UriBuilder(BaseUri) { Path = "/" + Uri.EscapeDataString(virtualHost) }.Uri;
    }

    /// <summary>The broker without a virtual host (the default one, <c>/</c>).</summary>
    public static Uri BaseUri { get; } = new(Environment.GetEnvironmentVariable("MARKETFEED_TEST_RABBITMQ") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672");

    /// <summary>Why the broker cannot be used (null when it answers), with what to do about it.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>True when a test needing the broker must fail rather than skip (<c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>This test's virtual host.</summary>
    public string VirtualHost { get; }

    /// <summary>The broker in this test's virtual host (credentials included), for a ConnectionFactory or a bus option.</summary>
    public Uri Uri { get; }

    /// <summary>A new virtual host (guest may configure, write and read everything in it) on the broker.</summary>
    public static async Task<RabbitMqBroker> CreateAsync()
    {
        if (MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        _ = Sweep.Value; // runs beside this test's own set-up; it never throws
        string vhost = $"{VhostPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40];
        await RabbitMqCtl.RunAsync("add_vhost", vhost);
        string user = Uri.UnescapeDataString(BaseUri.UserInfo.Split(':')[0]);
        await RabbitMqCtl.RunAsync("set_permissions", "-p", vhost, user, ".*", ".*", ".*");
        return new RabbitMqBroker(vhost);
    }

    /// <summary>A name no other test or run uses, for a stream, queue or gateway id.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RabbitMqCtl.RunAsync("delete_vhost", VirtualHost);
        }
        catch (InvalidOperationException)
        {
            // Left for the next run's sweep (its process will be gone by then).
        }
    }

    private static string? Probe()
    {
        try
        {
            using var client = new TcpClient();
            if (client.ConnectAsync(BaseUri.Host, BaseUri.Port).Wait(TimeSpan.FromSeconds(5)))
            {
                return null;
            }
        }
        catch (AggregateException)
        {
        }

        return $"no RabbitMQ broker answers on {BaseUri.Host}:{BaseUri.Port}: run ./scripts/test.sh or ./scripts/services/rabbitmq.sh, which install and start one";
    }

    /// <summary>Deletes the virtual hosts of earlier test processes that died before disposing theirs.</summary>
    private static async Task SweepAbandonedAsync()
    {
        string listing;
        try
        {
            listing = await RabbitMqCtl.RunAsync("list_vhosts", "--silent");
        }
        catch (InvalidOperationException)
        {
            return;
        }

        foreach (string vhost in listing.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (vhost.StartsWith(VhostPrefix, StringComparison.Ordinal)
                && vhost[VhostPrefix.Length..].Split('-')[0] is var pid
                && int.TryParse(pid, out int processId)
                && !IsRunning(processId))
            {
                try
                {
                    await RabbitMqCtl.RunAsync("delete_vhost", vhost);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
