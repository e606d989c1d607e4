using System.Buffers;
using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Server.Streaming;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Streaming;

public class ClientBooksTests
{
    private static readonly Instrument s_btc = new()
    {
        Id = new InstrumentId(7), Exchange = "BINANCE", TradingSymbol = "BTCUSDT", Name = "BITCOIN", Kind = InstrumentKind.Spot,
        TickSize = Price.FromScaled(1, 2), LotSize = 1, Calendar = SessionCalendar.Crypto, Feed = "test", NativeKey = "BINANCE:BTCUSDT",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Applying_the_updates_of_any_subsequence_of_views_rebuilds_the_last_view_exactly(int seed)
    {
        var random = new Random(seed);
        var books = new ClientBooks();
        var client = new ClientBook();
        long sequence = 0;
        for (int step = 0; step < 2_000; step++)
        {
            BookView view = RandomView(random, ++sequence);

            // A conflated client sees only some views: about one in three here.
            if (step > 0 && random.Next(3) != 0)
            {
                continue;
            }

            JsonElement? message = Write(books, view);
            Assert.NotNull(message);
            Assert.Equal(step == 0, message.Value.GetProperty("snapshot").GetBoolean());
            client.Apply(message.Value);
            Assert.Equal(Levels(view.Bids), client.Bids);
            Assert.Equal(Levels(view.Asks), client.Asks);
            Assert.Equal(view.Sequence, client.Seq);
        }
    }

    [Fact]
    public void A_view_already_sent_or_older_is_not_sent_again()
    {
        var books = new ClientBooks();
        BookView view = RandomView(new Random(1), 5);
        Assert.NotNull(Write(books, view));
        Assert.Null(Write(books, view));
        Assert.Null(Write(books, view with { Sequence = 4 }));
        Assert.NotNull(Write(books, view with { Sequence = 6 }));
    }

    [Fact]
    public void Resyncing_is_announced_without_levels_and_the_synced_book_comes_back_whole()
    {
        var random = new Random(4);
        var books = new ClientBooks();
        BookView synced = RandomView(random, 10);
        Write(books, synced);

        JsonElement notice = Write(books, synced with { State = BookState.Resyncing, Gaps = 1 })!.Value;
        Assert.Equal(("resyncing", false, 0, 0), (notice.GetProperty("state").GetString(), notice.GetProperty("snapshot").GetBoolean(), notice.GetProperty("bids").GetArrayLength(), notice.GetProperty("asks").GetArrayLength()));
        Assert.Null(Write(books, synced with { State = BookState.Resyncing, Gaps = 1 }));

        JsonElement again = Write(books, RandomView(random, 11) with { Resyncs = 1 })!.Value;
        Assert.True(again.GetProperty("snapshot").GetBoolean());

        // A resync the client never saw announced (conflated away) still ends in a snapshot.
        JsonElement after = Write(books, RandomView(random, 14) with { Resyncs = 2 })!.Value;
        Assert.True(after.GetProperty("snapshot").GetBoolean());
        Assert.False(Write(books, RandomView(random, 15) with { Resyncs = 2 })!.Value.GetProperty("snapshot").GetBoolean());

        books.Forget(s_btc.Id);
        Assert.True(Write(books, RandomView(random, 16) with { Resyncs = 2 })!.Value.GetProperty("snapshot").GetBoolean());
    }

    /// <summary>Up to 20 levels a side around 90,000 on a 0.5 grid, so consecutive views share many prices.</summary>
    private static BookView RandomView(Random random, long sequence)
    {
        int mid = 180_000 + random.Next(-6, 7);
        BookLevelChange[] bids = [.. Enumerable.Range(1, 30).Where(_ => random.Next(3) > 0).Take(random.Next(0, 21)).Select(i => Level(mid - i, random))];
        BookLevelChange[] asks = [.. Enumerable.Range(1, 30).Where(_ => random.Next(3) > 0).Take(random.Next(0, 21)).Select(i => Level(mid + i, random))];
        return new BookView(s_btc.Id, BookState.Synced, sequence, sequence * 3, default, default, bids, asks, 0, 0, 0);
    }

    private static BookLevelChange Level(int halves, Random random) =>
        new(Price.FromScaled(halves * 50L, 2), Quantity.FromScaled(random.Next(1, 4) * 1_000L, 8));

    private static IReadOnlyList<string> Levels(IReadOnlyList<BookLevelChange> levels) =>
        [.. levels.Select(l => $"{l.Price.ToDecimal()}:{l.Quantity.ToDecimal()}")];

    private static JsonElement? Write(ClientBooks books, BookView view)
    {
        var buffer = new ArrayBufferWriter<byte>();
        bool written;
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            written = books.TryWrite(writer, view, s_btc);
        }

        return written ? JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone() : null;
    }
}
