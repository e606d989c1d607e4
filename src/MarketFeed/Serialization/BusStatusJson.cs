using System.Text.Json;
using MarketFeed.Health;

namespace MarketFeed.Serialization;

/// <summary>The <c>bus</c> object of the status (null when the process neither publishes nor consumes).</summary>
internal static class BusStatusJson
{
    public static void Write(Utf8JsonWriter writer, BusStatus? bus)
    {
        if (bus is null)
        {
            writer.WriteNull("bus");
            return;
        }

        writer.WriteStartObject("bus");
        writer.WriteString("role", bus.Role);
        writer.WriteString("state", bus.State);
        writer.WriteString("url", bus.Url);
        writer.WriteString("gatewayId", bus.GatewayId);
        writer.WriteString("error", bus.Error);
        if (bus.Publish is { } p)
        {
            writer.WriteStartObject("publish");
            writer.WriteNumber("epoch", p.Epoch);
            WriteShards(writer, p.Shards);
            writer.WriteNumber("events", p.Events);
            writer.WriteNumber("eventsPerSecond", p.EventsPerSecond);
            writer.WriteNumber("batches", p.Batches);
            writer.WriteNumber("confirmed", p.Confirmed);
            writer.WriteNumber("republished", p.Republished);
            writer.WriteNumber("dropped", p.Dropped);
            writer.WriteNumber("buffered", p.Buffered);
            writer.WriteNumber("unconfirmed", p.Unconfirmed);
            StatusJson.WriteLatency(writer, p.ConfirmLatency, "confirmLatency");
            WriteShards(writer, p.StandingBy, "standingBy");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("publish");
        }

        if (bus.Consume is { } c)
        {
            writer.WriteStartObject("consume");
            WriteShards(writer, c.Shards);
            writer.WriteNumber("events", c.Events);
            writer.WriteNumber("eventsPerSecond", c.EventsPerSecond);
            writer.WriteNumber("batches", c.Batches);
            writer.WriteNumber("gaps", c.Gaps);
            writer.WriteNumber("duplicates", c.Duplicates);
            writer.WriteNumber("rewinds", c.Rewinds);
            writer.WriteNumber("damaged", c.Damaged);
            writer.WriteNumber("unknownVersion", c.UnknownVersion);
            writer.WriteString("lastSkipped", c.LastSkipped);
            StatusJson.WriteLatency(writer, c.Latency);
            writer.WriteStartArray("producers");
            foreach (BusProducerStatus producer in c.Producers)
            {
                writer.WriteStartObject();
                writer.WriteString("gatewayId", producer.GatewayId);
                writer.WriteNumber("epoch", producer.Epoch);
                writer.WriteString("state", producer.State);
                writer.WriteNumber("ageMs", producer.AgeMs);
                writer.WriteNumber("instruments", producer.Instruments);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("recentGaps");
            foreach (BusGap gap in c.RecentGaps)
            {
                writer.WriteStartObject();
                writer.WriteString("symbol", gap.Symbol);
                writer.WriteString("channel", gap.Channel);
                writer.WriteString("producer", gap.Producer);
                writer.WriteNumber("from", gap.From);
                writer.WriteNumber("to", gap.To);
                writer.WriteString("at", gap.At);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("consume");
        }

        writer.WriteEndObject();
    }

    private static void WriteShards(Utf8JsonWriter writer, IReadOnlyList<int> shards, string name = "shards")
    {
        writer.WriteStartArray(name);
        foreach (int shard in shards)
        {
            writer.WriteNumberValue(shard);
        }

        writer.WriteEndArray();
    }
}
