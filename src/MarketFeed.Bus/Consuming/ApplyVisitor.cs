using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Consuming;

/// <summary>
/// Turns one shard's decoded events into what the consumer's hub takes: every instrument event's number is judged
/// (<see cref="SequenceTracker"/>) and gaps reported; ticks and book messages of instruments somebody wants are
/// collected in <see cref="Pending"/> for the shard to publish (awaiting the hub's room) once the batch is read.
/// </summary>
internal sealed class ApplyVisitor(BusFeed feed, int slot) : IBusEventVisitor
{
    private readonly SequenceTracker _tracker = new();
    private BusBatchHeader _batch;
    private bool _live;

    public List<(Tick Tick, BookUpdate? Book)> Pending { get; } = [];

    /// <summary>Bars the producer revised or backfilled, for the shard to apply to the hub here once the batch is published.</summary>
    public List<(InstrumentId Instrument, CandleInterval Interval, Candle Bar)> Revisions { get; } = [];

    public bool OnBatch(in BusBatchHeader header)
    {
        _batch = header;

        // History read at start is not latency: it counts from the first batch sent after this consumer started.
        _live |= header.SentAt >= feed.StartedAt;
        feed.Producers.Heard(header.GatewayId, header.Epoch, header.SentAt);
        Interlocked.Increment(ref feed.Counters.Batches);
        switch (_tracker.Batch(in header, out long missedFrom))
        {
            case SequenceVerdict.Duplicate:
                Interlocked.Increment(ref feed.Counters.Duplicates);
                return false;
            case SequenceVerdict.Gap:
                feed.ReportGap("*", "batch", header.GatewayId, missedFrom, header.BatchSeq - 1);
                break;
        }

        return feed.WantsVenue(header.Venue);
    }

    public void OnTick(in BusEvent header, in Tick tick)
    {
        if (!Accept(in header, BusChannel.Tick, out InstrumentId id))
        {
            return;
        }

        // What the producer's subscribers saw is the merged state; the hub here takes the event itself again.
        var update = new Tick(id);
        update.Merge(in tick);
        update.Instrument = id;
        update.Seq = 0;
        Tick latest = tick;
        latest.Instrument = id;
        latest.Updates = TickFields.All;
        feed.Latest[id] = latest;
        if (!header.IsStateRound)
        {
            Interlocked.Increment(ref feed.Counters.Events);
            if (_live)
            {
                feed.RecordLatency(slot, tick.ReceiveTime);
            }
        }

        if (feed.IsWanted(id))
        {
            Pending.Add((update, null));
        }
    }

    public void OnBook(in BusEvent header, BookUpdate book)
    {
        if (!Accept(in header, BusChannel.Book, out InstrumentId id) || !feed.IsWanted(id))
        {
            BookUpdate.Return(book);
            return;
        }

        Interlocked.Increment(ref feed.Counters.Events);
        book.Instrument = id;
        // The producer's top-of-book tick for this change travels on the tick channel: the hub here must not derive
        // another (a duplicate) nor count this full copy of the book as a resync.
        book.Replicated = true;
        Pending.Add((default, book));
    }

    public void OnCandle(in BusEvent header, CandleInterval interval, in Candle candle, long candleSeq, bool revised)
    {
        if (Accept(in header, BusChannel.Candle, out InstrumentId id))
        {
            // The hub here builds its own candles from the same ticks; the producer's closes are counted (and checked by
            // tests). What the producer changed after the close (its venue's official candle, a backfill) only the
            // producer knows: those bars replace the ones built here.
            Interlocked.Increment(ref feed.Counters.Events);
            Interlocked.Increment(ref revised ? ref feed.CandleRevisions : ref feed.CandleCloses);
            if (revised && feed.IsWanted(id))
            {
                Candle bar = (candle.Flags & (CandleFlags.Revised | CandleFlags.Backfilled)) != 0 ? candle : candle with { Flags = candle.Flags | CandleFlags.Revised };
                Revisions.Add((id, interval, bar));
            }
        }
    }

    public void OnHealth(in BusEvent header, InstrumentHealthState state, string? error)
    {
        if (Accept(in header, BusChannel.State, out InstrumentId id))
        {
            feed.ProducerErrors[id] = state == InstrumentHealthState.Error ? $"{_batch.GatewayId}: {error ?? "error at its producer"}" : null;
        }
    }

    public void OnInstrument(in BusEvent header, Instrument definition)
    {
        feed.Producers.Sends(_batch.GatewayId, feed.Define(definition));
    }

    public void OnHeartbeat(bool stopping, int instruments) => feed.Producers.Heard(_batch.GatewayId, _batch.Epoch, _batch.SentAt, stopping);

    public void OnUnknownKind(byte kind)
    {
        // A kind a newer minor version added: nothing to do with it here.
    }

    private bool Accept(in BusEvent header, BusChannel channel, out InstrumentId id)
    {
        if (!feed.WantsChannel(channel) || !feed.TryResolve(header.Symbol, out id))
        {
            id = default;
            return false;
        }

        feed.Producers.Sends(_batch.GatewayId, id);
        switch (_tracker.Event(header.Symbol, channel, _batch.GatewayId, _batch.Epoch, header.BusSeq, header.IsStateRound, out long missedFrom))
        {
            case SequenceVerdict.Duplicate:
                Interlocked.Increment(ref feed.Counters.Duplicates);
                return false;
            case SequenceVerdict.Repeat:
                return false;
            case SequenceVerdict.Gap:
                feed.ReportGap(header.Symbol, BusContract.ChannelWord(channel), _batch.GatewayId, missedFrom, header.IsStateRound ? header.BusSeq : header.BusSeq - 1);
                return true;
            case SequenceVerdict.Rewound:
                feed.ReportRewind(header.Symbol, BusContract.ChannelWord(channel), _batch.GatewayId, header.BusSeq, missedFrom - 1);
                return true;
            default:
                return true;
        }
    }
}
