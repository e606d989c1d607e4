using System.Net.Http.Json;
using System.Text.Json;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Server;
using MarketFeed.Simulation;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Bus.Tests.Publishing;

/// <summary>A broker that cannot be used: one clear line in the log, <c>error</c> in status, and the gateway serving on.</summary>
public sealed class BusBrokerTroubleTests
{
    [Fact]
    public async Task A_url_where_no_broker_listens_is_an_error_in_status_while_the_gateway_serves()
    {
        int port = ClosedPort();
        string url = $"amqp://trader:s3cret-pw@127.0.0.1:{port}/";
        (JsonElement bus, string[] lines) = await RunGatewayAsync(url);

        Assert.Equal(("publisher", "error"), (bus.GetProperty("role").GetString(), bus.GetProperty("state").GetString()));
        Assert.Contains($"cannot reach the broker at amqp://trader:***@127.0.0.1:{port}/", bus.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal($"amqp://trader:***@127.0.0.1:{port}/", bus.GetProperty("url").GetString());
        Assert.Single(lines);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret", StringComparison.Ordinal));
    }

    [BrokerFact]
    public async Task Refused_credentials_are_an_error_in_status_while_the_gateway_serves()
    {
        var uri = new UriBuilder(TestBroker.Url) { UserName = "guest", Password = "not-the-password" };
        (JsonElement bus, string[] lines) = await RunGatewayAsync(uri.Uri.ToString());

        Assert.Equal("error", bus.GetProperty("state").GetString());
        Assert.Contains("refused the user name or password", bus.GetProperty("error").GetString(), StringComparison.Ordinal);
        string line = Assert.Single(lines);
        Assert.Contains("refused the user name or password", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", line, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task A_consumer_refused_by_the_broker_starts_serves_and_says_why()
    {
        var uri = new UriBuilder(TestBroker.Url) { UserName = "guest", Password = "not-the-password" };
        var feed = new BusFeed(new BusOptions { Url = uri.Uri.ToString(), Name = TestBroker.NewBusName("refused"), LoadTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
        Assert.True(await Eventually.TrueAsync(() => feed.Health.State == FeedState.AuthFailed && consumer.BusStatus()!.State == "error", TimeSpan.FromSeconds(10)), feed.Health.State.ToString());
        Assert.Contains("refused the user name or password", consumer.BusStatus()!.Error, StringComparison.Ordinal);
        Assert.Equal(FeedState.AuthFailed, consumer.Status().Feeds.Single().State);
    }

    /// <summary>A gateway on the simulator publishing to <paramref name="url"/>: its bus status once in error, and the bus's error log lines.</summary>
    private static async Task<(JsonElement Bus, string[] Lines)> RunGatewayAsync(string url)
    {
        using var logs = new ListLogger();
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 20 }, TimeProvider.System)], loggerFactory: logs);
        await using Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        await using BusPublisher publisher = BusPublisher.Start(host, new BusOptions { Url = url, Name = TestBroker.NewBusName("trouble"), Symbols = "NSE:INFY", ReconnectInterval = TimeSpan.FromMilliseconds(200) }, logs);
        host.ReportBus(publisher.Status);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        JsonElement bus = default;
        Assert.True(await Eventually.TrueAsync(() =>
        {
            bus = http.GetFromJsonAsync<JsonElement>("/api/status").GetAwaiter().GetResult().GetProperty("bus");
            return bus.GetProperty("state").GetString() == "error";
        }, TimeSpan.FromSeconds(15)), bus.ToString());

        // Retried several times by now, reported once; and the gateway serves its own feed meanwhile.
        await Task.Delay(1_000);
        long seq = (await http.GetFromJsonAsync<JsonElement>("/api/ticks/NSE%3AINFY/latest")).GetProperty("seq").GetInt64();
        Assert.True(await Eventually.TrueAsync(() => http.GetFromJsonAsync<JsonElement>("/api/ticks/NSE%3AINFY/latest").GetAwaiter().GetResult().GetProperty("seq").GetInt64() > seq, TimeSpan.FromSeconds(10)));
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_bus_state{role=\"publisher\",state=\"error\"} 1", metrics, StringComparison.Ordinal);
        string[] lines = [.. logs.Lines.Where(l => l.Category == "MarketFeed.Bus" && l.Level >= LogLevel.Error).Select(l => l.Text)];
        return (bus, lines);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
