using System.Text.Json;
using MarketFeed.Health;
using MarketFeed.Quality;
using MarketFeed.Serialization;

namespace MarketFeed.Tests.Serialization;

public class StatusJsonTests
{
    [Fact]
    public void Every_quality_counter_is_written_under_its_documented_name()
    {
        var quality = new QualitySnapshot
        {
            FlaggedClockAhead = 7, FlaggedOutlier = 3, RejectedFutureTimestamp = 2, RejectedInconsistent = 5,
            Books = 2, BooksSynced = 1, BookMessages = 90, BookGaps = 4, BookResyncs = 3, BookChecksumFailures = 1,
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StatusJson.Write(writer, new MarketStatus([], [], quality));
        }

        using JsonDocument json = JsonDocument.Parse(buffer.WrittenMemory);
        JsonElement q = json.RootElement.GetProperty("quality");
        Assert.Equal((7, 3, 2), (q.GetProperty("clockAhead").GetInt64(), q.GetProperty("outliers").GetInt64(), q.GetProperty("rejectedFutureTimestamp").GetInt64()));
        Assert.Equal(5, q.GetProperty("rejectedInconsistent").GetInt64());
        JsonElement books = q.GetProperty("books");
        Assert.Equal(
            (2L, 1L, 90L, 4L, 3L, 1L),
            (books.GetProperty("count").GetInt64(), books.GetProperty("synced").GetInt64(), books.GetProperty("messages").GetInt64(),
                books.GetProperty("gaps").GetInt64(), books.GetProperty("resyncs").GetInt64(), books.GetProperty("checksumFailures").GetInt64()));
    }
}
