using System.Net.Sockets;

namespace MarketFeed.Bus.Tests;

/// <summary>
/// The RabbitMQ broker the bus tests use: <c>MARKETFEED_TEST_BUS_URL</c>, default amqp://guest:guest@127.0.0.1:5672.
/// Whether it answers is checked once. Every test takes a bus name of its own (<see cref="NewBusName"/>), so tests
/// never share streams, with each other or with anyone else on the broker.
/// </summary>
public static class TestBroker
{
    private static readonly Lazy<string?> s_unreachable = new(Probe);

    public static string Url { get; } = Environment.GetEnvironmentVariable("MARKETFEED_TEST_BUS_URL") is { Length: > 0 } url
        ? url
        : "amqp://guest:guest@127.0.0.1:5672";

    /// <summary>Why the broker cannot be used, or null when it answers.</summary>
    public static string? Unreachable => s_unreachable.Value;

    public static string NewBusName(string test) => $"mftest.{test}.{Guid.NewGuid():N}";

    private static string? Probe()
    {
        var uri = new Uri(Url);
        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(uri.Host, uri.Port > 0 ? uri.Port : 5672).Wait(TimeSpan.FromSeconds(2)))
            {
                return $"no RabbitMQ broker answers at {uri.Host}:{uri.Port} (timed out)";
            }

            return null;
        }
        catch (AggregateException e) when (e.InnerException is SocketException socket)
        {
            return $"no RabbitMQ broker answers at {uri.Host}:{uri.Port} ({socket.SocketErrorCode})";
        }
    }
}

/// <summary>
/// A test that needs the broker: skipped with the reason when none answers, except under <c>CI=true</c>, where it
/// runs (and fails) — a CI machine must have started one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrokerFactAttribute : FactAttribute
{
    public BrokerFactAttribute()
    {
        if (TestBroker.Unreachable is { } reason && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = reason + " — start one (scripts/test.sh does) or set MARKETFEED_TEST_BUS_URL";
        }
    }
}
