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
        var quality = new QualitySnapshot { FlaggedClockAhead = 7, FlaggedOutlier = 3, RejectedFutureTimestamp = 2, RejectedInconsistent = 5 };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StatusJson.Write(writer, new MarketStatus([], [], quality));
        }

        using JsonDocument json = JsonDocument.Parse(buffer.WrittenMemory);
        JsonElement q = json.RootElement.GetProperty("quality");
        Assert.Equal((7, 3, 2), (q.GetProperty("clockAhead").GetInt64(), q.GetProperty("outliers").GetInt64(), q.GetProperty("rejectedFutureTimestamp").GetInt64()));
        Assert.Equal(5, q.GetProperty("rejectedInconsistent").GetInt64());
    }
}
