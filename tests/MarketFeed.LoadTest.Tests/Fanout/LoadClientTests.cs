using System.Text;

namespace MarketFeed.LoadTest.Tests.Fanout;

public class LoadClientTests
{
    private const string Tick = """{"type":"tick","symbol":"NSE:INFY","seq":7,"receiveTime":"2026-01-05T09:15:00.250Z","last":"1500.5"}""";

    [Fact]
    public void A_frame_counts_its_ticks_whether_single_or_batched_and_acks_count_nothing()
    {
        Assert.Equal(1, LoadClient.CountTicks(Encoding.UTF8.GetBytes(Tick)));
        Assert.Equal(3, LoadClient.CountTicks(Encoding.UTF8.GetBytes($"[{Tick},{Tick},{Tick}]")));
        Assert.Equal(1, LoadClient.CountTicks(Encoding.UTF8.GetBytes($$"""[{"type":"ack","op":"subscribe"},{{Tick}}]""")));
        Assert.Equal(0, LoadClient.CountTicks("""{"type":"ack","op":"subscribe","symbols":["NSE:INFY"]}"""u8));
    }

    [Fact]
    public void The_receive_time_is_read_from_the_first_tick_of_a_frame()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 15, 0, 250, TimeSpan.Zero), LoadClient.ReceiveTime(Encoding.UTF8.GetBytes($"[{Tick}]")));
        Assert.Null(LoadClient.ReceiveTime("""{"type":"pong"}"""u8));
    }

    [Fact]
    public void The_subscribe_message_asks_for_batching_only_when_told()
    {
        var uri = new Uri("ws://127.0.0.1:1/ws");
        Assert.Equal("""{"op":"subscribe","symbols":["NSE:INFY","NSE:TCS"],"channels":["ticks"]}""", new LoadClient(uri, ["NSE:INFY", "NSE:TCS"]).SubscribeMessage);
        Assert.EndsWith(""","batch":true}""", new LoadClient(uri, ["NSE:INFY"], batch: true).SubscribeMessage);
    }
}
