using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Server.Streaming;

/// <summary>The client's writer side: one send pass over what is pending, in the order a client may rely on.</summary>
internal sealed partial class ClientSession
{
    private async Task SendPendingAsync(HubSubscriber subscriber, CancellationToken cancellationToken)
    {
        _transport.BeginBatch();
        try
        {
            await SendPassAsync(subscriber, cancellationToken);
        }
        finally
        {
            await _transport.EndBatchAsync(cancellationToken);
        }
    }

    /// <summary>One pass: control replies first, then every pending tick and candle event.</summary>
    private async Task SendPassAsync(HubSubscriber subscriber, CancellationToken cancellationToken)
    {
        while (_control.Reader.TryRead(out ControlItem message))
        {
            // A snapshot tick or candle goes through the same sequence filter as live ones (on this, the writer's,
            // thread): sent only if nothing as new went out already, and then nothing as old goes out after it.
            if (message.SnapshotOf is { } snapshot
                && !(snapshot.Interval is { } interval ? AdvanceCandle(snapshot.Instrument, interval, snapshot.Seq) : Advance(snapshot.Instrument, snapshot.Seq)))
            {
                continue;
            }

            await _transport.SendAsync(message.Type, message.Json, cancellationToken);
        }

        long ticks = 0;
        DateTime now = _host.Time.GetUtcNow().UtcDateTime;
        foreach (PendingTick tick in _ticks.Pending.Take())
        {
            if (!Wants(tick.Instrument, null) || !Advance(tick.Instrument, tick.Seq))
            {
                continue;
            }

            await _transport.SendAsync("tick", tick.Json, cancellationToken);
            _metrics.Latency((now - tick.ReceiveTime).TotalMilliseconds);
            ticks++;
        }

        _metrics.Sent("tick", _transport.Name, ticks);

        // Revisions are taken before the candles: a revised bar was closed before it was revised, so its close is then
        // among the candles read next and goes out first — never a revision of a bar the client has not seen close.
        List<CandleRevision>? revised = null;
        while (subscriber.TryReadRevision(out CandleRevision revision))
        {
            (revised ??= []).Add(revision);
        }

        long candles = 0;

        while (subscriber.TryReadCandle(out CandleEvent candle))
        {
            if (!Wants(candle.Instrument, candle.Interval) || !AdvanceCandle(candle.Instrument, candle.Interval, candle.Seq))
            {
                continue;
            }

            Instrument instrument = _host.Instruments.Get(candle.Instrument);
            Candle bar = candle.Candle;
            CandleInterval interval = candle.Interval;
            long seq = candle.Seq;
            await _transport.SendAsync("candle", Serialize(w => CandleJson.Write(w, in bar, interval, instrument, seq)), cancellationToken);
            candles++;
        }

        _metrics.Sent("candle", _transport.Name, candles);
        long revisions = 0;
        foreach (CandleRevision revision in revised ?? [])
        {
            if (!Wants(revision.Instrument, revision.Interval))
            {
                continue;
            }

            Instrument instrument = _host.Instruments.Get(revision.Instrument);
            await _transport.SendAsync("candleRevised", Serialize(w => CandleJson.WriteRevision(w, revision.Old, revision.New, revision.Interval, instrument, revision.Seq)), cancellationToken);
            revisions++;
        }

        _metrics.Sent("candleRevised", _transport.Name, revisions);
        long books = 0;
        while (subscriber.TryReadBook(out BookView? view))
        {
            while (_bookResets.TryDequeue(out InstrumentId reset))
            {
                _books.Forget(reset);
            }

            if (!WantsBook(view.Instrument))
            {
                continue;
            }

            Instrument instrument = _host.Instruments.Get(view.Instrument);
            bool send;
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer, JsonValues.WriterOptions))
            {
                send = _books.TryWrite(writer, view, instrument);
            }

            if (send)
            {
                await _transport.SendAsync("book", _buffer.WrittenMemory, cancellationToken);
                books++;
            }
        }

        _metrics.Sent("book", _transport.Name, books);
        _metrics.Sent("chain", _transport.Name, await _chains.SendPendingAsync(_transport, cancellationToken));
    }

    /// <summary>Ticks go out in sequence order per instrument: an older one (e.g. queued before the snapshot) is skipped.</summary>
    private bool Advance(InstrumentId instrument, long seq)
    {
        if (_lastTickSeq.TryGetValue(instrument, out long last) && seq <= last)
        {
            return false;
        }

        _lastTickSeq[instrument] = seq;
        return true;
    }

    /// <summary>Candle events go out in sequence order per series: the snapshot's bar and the same event from the mailbox go out once.</summary>
    private bool AdvanceCandle(InstrumentId instrument, CandleInterval interval, long seq)
    {
        if (_lastCandleSeq.TryGetValue((instrument, interval), out long last) && seq <= last)
        {
            return false;
        }

        _lastCandleSeq[(instrument, interval)] = seq;
        return true;
    }

    private bool WantsBook(InstrumentId instrument)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(instrument, out StreamChannels? channels) && channels.Books;
        }
    }

    private bool Wants(InstrumentId instrument, CandleInterval? interval)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(instrument, out StreamChannels? channels)
                && (interval is { } i ? channels.Candles.Contains(i) : channels.Ticks);
        }
    }
}
