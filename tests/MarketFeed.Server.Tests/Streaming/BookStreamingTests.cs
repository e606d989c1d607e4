using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Server.Tests.Api;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

public class BookStreamingTests
{
    private const string Btc = "BINANCE:BTCUSDT";

    [Fact]
    public async Task Books_channel_sends_a_snapshot_then_updates_that_rebuild_the_book_the_api_serves()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { Btc }, channels = new[] { "books" } });
        JsonElement ack = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(["books"], ack.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        var book = new ClientBook();
        JsonElement first = (await ReceiveAsync(socket))!.Value;
        Assert.True(first.GetProperty("snapshot").GetBoolean());
        Assert.Equal((Btc, "synced", 20, 20), (first.GetProperty("symbol").GetString(), first.GetProperty("state").GetString(), first.GetProperty("bids").GetArrayLength(), first.GetProperty("asks").GetArrayLength()));
        book.Apply(first);
        int levelsSent = 0;
        while (book.Updates < 40)
        {
            JsonElement message = (await ReceiveAsync(socket))!.Value;
            Assert.False(message.GetProperty("snapshot").GetBoolean());
            levelsSent += message.GetProperty("bids").GetArrayLength() + message.GetProperty("asks").GetArrayLength();
            book.Apply(message);
            Assert.Equal((20, 20), (book.Bids.Count, book.Asks.Count));
        }

        // An update carries what changed: far fewer levels than the 40 of a whole book.
        Assert.InRange(levelsSent / 40.0, 1, 20);

        // Stop the market; the last update brings the client to the book the API serves, at the same seq.
        f.Feed.Disconnect("test");
        await f.Gateway.Host.Hub.FlushAsync();
        JsonElement served = await f.GetJsonAsync("/api/books/" + Btc);
        long seq = served.GetProperty("seq").GetInt64();
        while (book.Seq < seq)
        {
            book.Apply((await ReceiveAsync(socket))!.Value);
        }

        Assert.Equal(seq, book.Seq);
        Assert.Equal(ClientBook.Levels(served.GetProperty("bids")), book.Bids);
        Assert.Equal(ClientBook.Levels(served.GetProperty("asks")), book.Asks);
        Assert.Equal(1, book.Snapshots);
        Assert.Contains("marketfeed_messages_sent_total{kind=\"book\",transport=\"ws\"}", await f.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task After_a_gap_the_client_is_told_the_book_is_resyncing_then_gets_a_fresh_snapshot()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { Btc, "NSE:INFY" }, channels = new[] { "books", "ticks" } });
        var book = new ClientBook();
        await ReceiveUntilAsync(socket, m => IsBook(m) && Apply(book, m).Updates >= 5);

        f.Feed.LoseNextBookDiff(f.Gateway.Host.Resolve(Btc).Id);
        List<JsonElement> after = await ReceiveUntilAsync(socket, m => IsBook(m) && Apply(book, m).Snapshots == 2);
        JsonElement resnapshot = after[^1];
        Assert.Equal("synced", resnapshot.GetProperty("state").GetString());
        Assert.Equal(20, resnapshot.GetProperty("bids").GetArrayLength());

        // The resyncing notice may have been conflated away by the snapshot right behind it; if sent, it carried no levels.
        foreach (JsonElement notice in after.Where(m => IsBook(m) && m.GetProperty("state").GetString() == "resyncing"))
        {
            Assert.Equal((false, 0, 0), (notice.GetProperty("snapshot").GetBoolean(), notice.GetProperty("bids").GetArrayLength(), notice.GetProperty("asks").GetArrayLength()));
        }

        Assert.DoesNotContain(after, m => IsBook(m) && m.GetProperty("symbol").GetString() == "NSE:INFY");
        JsonElement status = (await f.GetJsonAsync("/api/status")).GetProperty("quality").GetProperty("books");
        Assert.Equal((1, 1), (status.GetProperty("gaps").GetInt64(), status.GetProperty("resyncs").GetInt64()));
    }

    [Fact]
    public async Task The_sse_books_channel_sends_a_snapshot_then_updates_that_rebuild_the_served_book()
    {
        await using GatewayFixture f = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/stream?symbols={Btc}&channels=books");
        using HttpResponseMessage response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var book = new ClientBook();
        var names = new List<string>();
        string? name = null;

        async Task ReadAsync()
        {
            string line = (await reader.ReadLineAsync(timeout.Token))!;
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                names.Add(name = line["event: ".Length..]);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "book")
            {
                book.Apply(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }

        while (book.Updates < 20)
        {
            await ReadAsync();
        }

        f.Feed.Disconnect("test");
        await f.Gateway.Host.Hub.FlushAsync();
        JsonElement served = await f.GetJsonAsync("/api/books/" + Btc);
        while (book.Seq < served.GetProperty("seq").GetInt64())
        {
            await ReadAsync();
        }

        Assert.Equal("ack", names[0]);
        Assert.All(names.Skip(1), n => Assert.Equal("book", n));
        Assert.Equal(1, book.Snapshots);
        Assert.Equal(ClientBook.Levels(served.GetProperty("bids")), book.Bids);
        Assert.Equal(ClientBook.Levels(served.GetProperty("asks")), book.Asks);
    }

    [Fact]
    public async Task A_book_channel_for_an_instrument_without_a_book_is_accepted_and_stays_silent()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" }, channels = new[] { "books" } });
        Assert.Equal("ack", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:TCS" }, channels = new[] { "ticks" } });
        List<JsonElement> messages = await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("seq").GetInt64() > 20);
        Assert.DoesNotContain(messages, m => m.GetProperty("type").GetString() == "book" || (m.TryGetProperty("symbol", out JsonElement symbol) && symbol.GetString() == "NSE:INFY"));
    }

    private static bool IsBook(JsonElement message) => message.GetProperty("type").GetString() == "book";

    private static ClientBook Apply(ClientBook book, JsonElement message)
    {
        book.Apply(message);
        return book;
    }
}
