using System.Net.WebSockets;
using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>
/// Venues that send nothing on a quiet connection (Binance sends only WebSocket pings, which ClientWebSocket keeps to
/// itself): the connection probes when quiet, so a healthy one is never taken for dead, and a dead one still is.
/// </summary>
public class StreamConnectionProbeTests
{
    [Fact]
    public async Task A_quiet_connection_that_answers_probes_stays_up()
    {
        int probes = 0;
        await using LoopbackServer server = await LoopbackServer.StartAsync(c => AnswerAsync(c, () => Interlocked.Increment(ref probes), answer: true));
        (FeedHealth health, Func<Task> stop) = await RunAsync(server);
        try
        {
            await SimulatedHost.WaitUntil(() => health.State == FeedState.Connected, 5_000);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.True(health.State == FeedState.Connected && health.Reconnects == 0, $"{health.State}, {health.Reconnects} reconnects, last error: {health.LastError}");
            Assert.True(Volatile.Read(ref probes) >= 3, $"{probes} probes");
        }
        finally
        {
            await stop();
        }
    }

    [Fact]
    public async Task Unanswered_probes_do_not_hide_a_silent_connection()
    {
        int probes = 0;
        await using LoopbackServer server = await LoopbackServer.StartAsync(c => AnswerAsync(c, () => Interlocked.Increment(ref probes), answer: false));
        (FeedHealth health, Func<Task> stop) = await RunAsync(server);
        try
        {
            await SimulatedHost.WaitUntil(() => health.LastError?.Contains("no frame", StringComparison.Ordinal) == true, 5_000);
            Assert.NotEqual(FeedState.Connected, health.State);
            Assert.True(Volatile.Read(ref probes) >= 2);
        }
        finally
        {
            await stop();
        }
    }

    private static async Task<(FeedHealth Health, Func<Task> Stop)> RunAsync(LoopbackServer server)
    {
        var registry = new InstrumentRegistry();
        var subscriptions = new SubscriptionManager();
        var hub = new MarketHub(registry, subscriptions, new HubOptions { Partitions = 1 }, TimeProvider.System);
        hub.Start();
        var health = new FeedHealth("probing", TimeProvider.System);
        var options = new FeedSessionOptions { IdleTimeout = TimeSpan.FromMilliseconds(1500), ReconnectBaseDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) };
        var session = new FeedSession("probing", new ProbingProtocol(new Uri(server.WebSocketBase)), options, new FeedContext(hub, subscriptions, registry, TimeProvider.System, NullLogger.Instance), health, _ => true);
        var cancel = new CancellationTokenSource();
        Task running = session.RunAsync(cancel.Token);
        return (health, async () =>
        {
            await cancel.CancelAsync();
            await running;
            await hub.DisposeAsync();
            cancel.Dispose();
        });
    }

    /// <summary>Accepts the socket, never sends on its own, and answers each text message with one frame when told to.</summary>
    private static async Task AnswerAsync(HttpContext context, Action probed, bool answer)
    {
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[256];
        while (socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            probed();
            if (answer)
            {
                await socket.SendAsync("{\"result\":true}"u8.ToArray(), WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
    }

    private sealed class ProbingProtocol(Uri uri) : IStreamProtocol
    {
        public ShardingLimits Limits { get; } = new(10, 1, 10);

        public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => ValueTask.FromResult(new StreamEndpoint(uri));

        public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch) => [];

        public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch) => [];

        public ControlMessage? IdleProbe() => ControlMessage.Text("probe");

        public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) =>
            Encoding.UTF8.GetString(frame.Payload) == "{\"result\":true}" ? FrameOutcome.Ok : FrameOutcome.Malformed;
    }
}
