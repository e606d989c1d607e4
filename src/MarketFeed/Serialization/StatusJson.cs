using System.Text.Json;
using MarketFeed.Health;
using MarketFeed.History;
using MarketFeed.Journal;
using MarketFeed.Quality;

namespace MarketFeed.Serialization;

/// <summary>
/// The status shape of docs/contracts.md, with the quality counters under <c>quality</c> and the order books' under
/// <c>quality.books</c> (kept and checked by the hub, summed over books).
/// </summary>
public static class StatusJson
{
    public static void Write(Utf8JsonWriter writer, MarketStatus status)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("feeds");
        foreach (FeedStatus feed in status.Feeds)
        {
            writer.WriteStartObject();
            writer.WriteString("feed", feed.Feed);
            writer.WriteString("state", feed.State.Snake());
            writer.WriteNumber("connections", feed.Connections);
            writer.WriteNumber("reconnects", feed.Reconnects);
            writer.WriteString("lastError", feed.LastError);
            writer.WriteNumber("messagesPerSecond", feed.MessagesPerSecond);
            writer.WriteNumber("malformedFrames", feed.MalformedFrames);
            writer.WriteNumber("oversizedFrames", feed.OversizedFrames);
            writer.WriteNumber("unknownInstruments", feed.UnknownInstruments);
            writer.WriteNumber("handlerErrors", feed.HandlerErrors);
            writer.WriteNumber("pollFailures", feed.PollFailures);
            writer.WriteString("simulated", feed.Simulated);
            writer.WriteString("mode", feed.Mode.Lower());
            writer.WriteBoolean("pollingForced", feed.PollingForced);
            WriteLatency(writer, feed.Latency);
            writer.WriteNumber("duplicatesDropped", feed.DuplicatesDropped);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("instruments");
        foreach (InstrumentStatus instrument in status.Instruments)
        {
            writer.WriteStartObject();
            writer.WriteString("symbol", instrument.Symbol);
            writer.WriteString("state", instrument.State.Lower());
            if (instrument.AgeMs is { } age)
            {
                writer.WriteNumber("ageMs", age);
            }
            else
            {
                writer.WriteNull("ageMs");
            }

            writer.WriteNumber("updates", instrument.Updates);
            writer.WriteString("source", instrument.Source?.Lower());
            writer.WriteString("error", instrument.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteQuality(writer, status.Quality);
        WriteJournal(writer, status.Journal);
        WriteStore(writer, status.Store);
        BusStatusJson.Write(writer, status.Bus);
        WriteReconciliation(writer, status.Reconciliation);
        writer.WriteEndObject();
    }

    internal static void WriteLatency(Utf8JsonWriter writer, LatencySummary? latency, string name = "latency")
    {
        if (latency is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("p50Ms", latency.P50Ms);
        writer.WriteNumber("p99Ms", latency.P99Ms);
        writer.WriteNumber("samples", latency.Samples);
        writer.WriteEndObject();
    }

    private static void WriteJournal(Utf8JsonWriter writer, JournalRecorderStatus? journal)
    {
        if (journal is null)
        {
            writer.WriteNull("journal");
            return;
        }

        writer.WriteStartObject("journal");
        writer.WriteString("state", journal.State.Lower());
        writer.WriteNumber("records", journal.Recorded);
        writer.WriteNumber("dropped", journal.Dropped);
        writer.WriteNumber("bytes", journal.Bytes);
        if (journal.DurableThrough is { } durable)
        {
            writer.WriteString("durableThrough", durable);
        }
        else
        {
            writer.WriteNull("durableThrough");
        }

        writer.WriteString("lastError", journal.LastError);
        writer.WriteString("failure", journal.Failure);
        writer.WriteEndObject();
    }

    private static void WriteStore(Utf8JsonWriter writer, CandleStoreStatus? store)
    {
        if (store is null)
        {
            writer.WriteNull("store");
            return;
        }

        writer.WriteStartObject("store");
        writer.WriteString("kind", store.Kind);
        writer.WriteString("description", store.Description);
        writer.WriteString("state", store.State.Lower());
        writer.WriteNumber("written", store.Written);
        writer.WriteNumber("pending", store.Pending);
        writer.WriteNumber("failures", store.Failures);
        writer.WriteNumber("dropped", store.Dropped);
        writer.WriteString("lastError", store.LastError);
        writer.WriteEndObject();
    }

    private static void WriteReconciliation(Utf8JsonWriter writer, ReconciliationStatus? reconciliation)
    {
        if (reconciliation is null)
        {
            writer.WriteNull("reconciliation");
            return;
        }

        writer.WriteStartObject("reconciliation");
        writer.WriteNumber("checked", reconciliation.Checked);
        writer.WriteNumber("revised", reconciliation.Revised);
        writer.WriteNumber("backfilled", reconciliation.Backfilled);
        writer.WriteNumber("failed", reconciliation.Failed);
        writer.WriteNumber("unmatched", reconciliation.Unmatched);
        writer.WriteNumber("requests", reconciliation.Requests);
        writer.WriteNumber("outages", reconciliation.Outages);
        writer.WriteNumber("pending", reconciliation.Pending);
        writer.WriteEndObject();
    }

    private static void WriteQuality(Utf8JsonWriter writer, QualitySnapshot q)
    {
        writer.WriteStartObject("quality");
        writer.WriteNumber("received", q.Received);
        writer.WriteNumber("accepted", q.Accepted);
        writer.WriteNumber("droppedUnwanted", q.DroppedUnwanted);
        writer.WriteNumber("droppedUnknownInstrument", q.DroppedUnknownInstrument);
        writer.WriteNumber("droppedDuplicate", q.DroppedDuplicate);
        writer.WriteNumber("rejectedInvalidPrice", q.RejectedInvalidPrice);
        writer.WriteNumber("rejectedInvalidQuantity", q.RejectedInvalidQuantity);
        writer.WriteNumber("rejectedFutureTimestamp", q.RejectedFutureTimestamp);
        writer.WriteNumber("rejectedInconsistent", q.RejectedInconsistent);
        writer.WriteNumber("outOfOrder", q.FlaggedOutOfOrder);
        writer.WriteNumber("outliers", q.FlaggedOutlier);
        writer.WriteNumber("clockAhead", q.FlaggedClockAhead);
        writer.WriteNumber("lateForCandles", q.LateForCandles);
        writer.WriteNumber("volumeResets", q.VolumeResets);
        writer.WriteNumber("ingestFull", q.IngestFull);
        writer.WriteNumber("subscriberConflated", q.SubscriberConflated);
        writer.WriteNumber("subscriberDropped", q.SubscriberDropped);
        writer.WriteNumber("callbackErrors", q.CallbackErrors);
        writer.WriteNumber("historyFailures", q.HistoryFailures);
        writer.WriteNumber("historyBarsSkipped", q.HistoryBarsSkipped);
        writer.WriteNumber("historyBarsRebucketed", q.HistoryBarsRebucketed);
        writer.WriteNumber("pipelineErrors", q.PipelineErrors);
        writer.WriteStartObject("books");
        writer.WriteNumber("count", q.Books);
        writer.WriteNumber("synced", q.BooksSynced);
        writer.WriteNumber("messages", q.BookMessages);
        writer.WriteNumber("gaps", q.BookGaps);
        writer.WriteNumber("resyncs", q.BookResyncs);
        writer.WriteNumber("checksumFailures", q.BookChecksumFailures);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
