using System.Net.WebSockets;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Metrics;

public class PrometheusExporterTests
{
    [Fact]
    public async Task Metrics_report_ticks_drops_queue_feed_clients_and_latency_in_prometheus_text()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" } });
        await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("seq").GetInt64() >= 5);

        string text = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE marketfeed_ticks_received_total counter", text);
        Assert.Contains("marketfeed_ticks_dropped_total{reason=\"unwanted\"}", text);
        Assert.Contains("marketfeed_ticks_dropped_total{reason=\"subscriber_conflated\"}", text);
        Assert.Contains("marketfeed_ticks_flagged_total{flag=\"clock_ahead\"} 0", text);
        Assert.Contains("marketfeed_ticks_dropped_total{reason=\"inconsistent\"} 0", text);
        Assert.Contains("# TYPE marketfeed_ingest_queue_depth gauge", text);
        Assert.Contains("marketfeed_feed_reconnects_total{feed=\"sim\"} 0", text);
        Assert.Contains("marketfeed_feed_messages_rate{feed=\"sim\"}", text);
        Assert.Contains("marketfeed_clients 1", text);
        Assert.Contains("marketfeed_messages_sent_total{kind=\"tick\",transport=\"ws\"}", text);
        Assert.Contains("# TYPE marketfeed_latency histogram", text);
        Assert.Contains("marketfeed_latency_bucket{le=\"+Inf\"}", text);
        long received = Value(text, "marketfeed_ticks_received_total");
        long accepted = Value(text, "marketfeed_ticks_accepted_total");
        Assert.True(received >= accepted && accepted >= 5);
        // Every tick the writer sent has a latency sample (conflation means seq 5 may have taken fewer than 5 sends).
        long ticksSent = Value(text, "marketfeed_messages_sent_total{kind=\"tick\",transport=\"ws\"}");
        Assert.True(ticksSent >= 1);
        Assert.True(Value(text, "marketfeed_latency_count") >= ticksSent);

        f.Feed.Disconnect("test");
        f.Feed.Connect();
        Assert.Contains("marketfeed_feed_reconnects_total{feed=\"sim\"} 1", await f.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Book_gaps_resyncs_and_checksum_failures_are_counted_over_all_books()
    {
        await using GatewayFixture f = await StartAsync(symbols: ["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"]);
        await Api.BooksApiTests.SyncedBookAsync(f, "/api/books/BINANCE:BTCUSDT");
        await Api.BooksApiTests.SyncedBookAsync(f, "/api/books/BINANCE:ETHUSDT");
        string text = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE marketfeed_book_gaps_total counter", text);
        Assert.Contains("marketfeed_book_gaps_total 0", text);
        Assert.Contains("marketfeed_book_resyncs_total 0", text);
        Assert.Contains("marketfeed_book_checksum_failures_total 0", text);
        Assert.Contains("marketfeed_books 2", text);

        f.Feed.LoseNextBookDiff(f.Gateway.Host.Resolve("BINANCE:ETHUSDT").Id);
        await Api.MarketDataApiTests.EventuallyAsync(async () =>
        {
            string after = await f.Http.GetStringAsync("/metrics");
            Assert.Equal((1L, 1L, 2L), (Value(after, "marketfeed_book_gaps_total"), Value(after, "marketfeed_book_resyncs_total"), Value(after, "marketfeed_books_synced")));
            return after;
        });
    }

    private static long Value(string text, string metric) =>
        (long)double.Parse(text.Split('\n').Single(l => l.StartsWith(metric + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}
