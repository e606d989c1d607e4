using System.Net;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Api;

public class BooksApiTests
{
    private const string Btc = "/api/books/BINANCE:BTCUSDT";

    [Fact]
    public async Task A_crypto_book_is_synced_sorted_uncrossed_and_its_top_is_the_latest_quote()
    {
        await using GatewayFixture f = await StartAsync(symbols: ["BINANCE:BTCUSDT", "NSE:INFY"]);
        JsonElement book = await SyncedBookAsync(f, Btc);
        Assert.Equal(("book", "BINANCE:BTCUSDT", true), (book.GetProperty("type").GetString(), book.GetProperty("symbol").GetString(), book.GetProperty("snapshot").GetBoolean()));
        decimal[] bids = Prices(book, "bids");
        decimal[] asks = Prices(book, "asks");
        Assert.Equal((20, 20), (bids.Length, asks.Length));
        Assert.True(bids.Zip(bids.Skip(1)).All(p => p.First > p.Second), "bids best (highest) first");
        Assert.True(asks.Zip(asks.Skip(1)).All(p => p.First < p.Second), "asks best (lowest) first");
        Assert.True(bids[0] < asks[0]);
        Assert.True(book.GetProperty("lastUpdateId").GetInt64() > 0);
        Assert.EndsWith("+00:00", book.GetProperty("exchangeTime").GetString());
        Assert.Equal((0, 0, 0), (book.GetProperty("gaps").GetInt64(), book.GetProperty("resyncs").GetInt64(), book.GetProperty("checksumFailures").GetInt64()));

        // While the market moves, the quote and the book are at most a few messages apart.
        JsonElement quote = await f.GetJsonAsync("/api/ticks/BINANCE:BTCUSDT/latest");
        Assert.InRange(Math.Abs(quote.GetProperty("bid").GetDecimal() - bids[0]), 0, 500);

        // Stopped, they are the same moment: the quote's bid/ask are the book's best levels, to the last digit.
        f.Feed.Disconnect("test");
        await f.Gateway.Host.Hub.FlushAsync();
        book = await f.GetJsonAsync(Btc);
        quote = await f.GetJsonAsync("/api/ticks/BINANCE:BTCUSDT/latest");
        Assert.Equal(book.GetProperty("bids")[0][0].GetRawText(), quote.GetProperty("bid").GetRawText());
        Assert.Equal(book.GetProperty("bids")[0][1].GetRawText(), quote.GetProperty("bidQty").GetRawText());
        Assert.Equal(book.GetProperty("asks")[0][0].GetRawText(), quote.GetProperty("ask").GetRawText());
        Assert.Equal(book.GetProperty("asks")[0][1].GetRawText(), quote.GetProperty("askQty").GetRawText());

        JsonElement top5 = await f.GetJsonAsync(Btc + "?depth=5");
        Assert.Equal(ClientBook.Levels(book.GetProperty("bids")).Take(5), ClientBook.Levels(top5.GetProperty("bids")));
        Assert.Equal(book.GetProperty("seq").GetInt64(), top5.GetProperty("seq").GetInt64());
        JsonElement all = await f.GetJsonAsync(Btc + "?depth=200");
        Assert.Equal(50, all.GetProperty("asks").GetArrayLength());

        JsonElement books = (await f.GetJsonAsync("/api/status")).GetProperty("quality").GetProperty("books");
        Assert.Equal((1, 1), (books.GetProperty("count").GetInt64(), books.GetProperty("synced").GetInt64()));
        Assert.True(books.GetProperty("messages").GetInt64() >= book.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task No_book_is_a_404_saying_why_and_a_bad_depth_a_400()
    {
        await using GatewayFixture f = await StartAsync(symbols: ["NSE:INFY"]);
        await MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync("/api/books/NSE:INFY"), HttpStatusCode.NotFound, "NSE:INFY has no order book: its venue sends none");
        await MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync("/api/books/BINANCE:ETHUSDT"), HttpStatusCode.NotFound, "it is not subscribed");
        await MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync("/api/books/NSE:INFX"), HttpStatusCode.NotFound, "did you mean NSE:INFY");
        foreach (string depth in new[] { "0", "201", "-1", "abc", "" })
        {
            await MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync(Btc + "?depth=" + depth), HttpStatusCode.BadRequest, "depth must be a whole number from 1 to 200");
        }
    }

    [Fact]
    public async Task The_endpoint_is_described_in_openapi()
    {
        await using GatewayFixture f = await StartAsync();
        JsonElement operation = (await f.GetJsonAsync("/openapi/v1.json")).GetProperty("paths").GetProperty("/api/books/{symbol}").GetProperty("get");
        Assert.Contains("order book", operation.GetProperty("summary").GetString());
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "depth");
    }

    internal static Task<JsonElement> SyncedBookAsync(GatewayFixture f, string path) =>
        MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement book = await f.GetJsonAsync(path);
            return book.GetProperty("state").GetString() == "synced" ? book : throw new InvalidOperationException("not synced yet");
        });

    private static decimal[] Prices(JsonElement book, string side) => [.. book.GetProperty(side).EnumerateArray().Select(l => l[0].GetDecimal())];
}
