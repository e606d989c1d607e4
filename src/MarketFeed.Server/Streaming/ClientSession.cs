using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Server.Metrics;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// One streaming client (WebSocket or SSE). Ticks reach it from the shared <see cref="TickFanout"/> (encoded once for
/// every client, latest per instrument while it is behind); candles and book views through its own hub mailbox (book
/// views conflated to the latest per instrument, candle closes never dropped). One writer loop sends, so a slow
/// client only ever delays itself. Books go out as a snapshot, then updates computed against what this client was
/// last sent (<see cref="ClientBooks"/>). Replies (acks, errors, pongs, snapshots) go through a control queue the writer sends first.
/// Past <see cref="ServerOptions.MaxPendingCandleEvents"/> or a send slower than <see cref="ServerOptions.SendTimeout"/>
/// the client is disconnected with a reason.
/// </summary>
internal sealed partial class ClientSession : IAsyncDisposable
{
    private readonly MarketFeedHost _host;
    private readonly ServerOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly TickMessageCache _tickCache;
    private readonly TickFanout _fanout;
    private readonly TickReceiver _ticks;
    private readonly IClientTransport _transport;
    private readonly MarketSubscription _subscription;
    private readonly Channel<ControlItem> _control = Channel.CreateUnbounded<ControlItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Dictionary<InstrumentId, StreamChannels> _channels = [];

    // Writer-loop state, touched by the writer only.
    private readonly Dictionary<InstrumentId, long> _lastTickSeq = [];
    private readonly Dictionary<(InstrumentId, CandleInterval), long> _lastCandleSeq = [];
    private readonly ClientBooks _books = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    // Books (re)subscribed on the request side: the writer forgets what it sent for them before it reads their next view.
    private readonly ConcurrentQueue<InstrumentId> _bookResets = new();
    private readonly ClientChains _chains;

    public ClientSession(MarketFeedHost host, ServerOptions options, GatewayMetrics metrics, TickFanout fanout, TickMessageCache tickCache, IClientTransport transport)
    {
        _host = host;
        _options = options;
        _metrics = metrics;
        _fanout = fanout;
        _tickCache = tickCache;
        _transport = transport;
        _subscription = host.Subscribe([], new SubscriberOptions { Ticks = false, CandleUpdates = true });
        _ticks = new TickReceiver(_subscription.Subscriber);
        _chains = new ClientChains(host, _subscription.Subscriber.Wake);
    }

    /// <summary>Handles one client request; problems go back to the client as error messages.</summary>
    public async Task HandleAsync(ClientRequest request)
    {
        try
        {
            switch (request.Op)
            {
                case "subscribe" when ClientChains.IsChainRequest(request.Channels):
                    _chains.Subscribe(request.Symbols, request.Channels, chains => Reply("ack", w =>
                    {
                        w.WriteString("op", "subscribe");
                        WriteStrings(w, "chains", chains);
                    }));
                    break;
                case "unsubscribe" when ClientChains.IsChainRequest(request.Channels):
                    Reply("ack", w =>
                    {
                        w.WriteString("op", "unsubscribe");
                        WriteStrings(w, "chains", _chains.Unsubscribe(request.Symbols));
                    });
                    break;
                case "subscribe":
                    // Before the ack is queued: the ack is the first message of the new framing.
                    if (request.Batch is { } batch)
                    {
                        _transport.Batched = batch;
                    }

                    await SubscribeAsync(request.Symbols, StreamChannels.Parse(request.Channels));
                    break;
                case "unsubscribe":
                    Unsubscribe(request.Symbols);
                    break;
                case "ping":
                    Reply("pong", w => { });
                    break;
                default:
                    throw new ClientRequestException($"unknown op '{request.Op}': use subscribe, unsubscribe or ping");
            }
        }
        catch (Exception e) when (e is ClientRequestException or UnknownSymbolException)
        {
            Error(e.Message, request.Op);
        }
    }

    public void Error(string message, string? op = null) => Reply("error", w =>
    {
        w.WriteString("message", message);
        if (op is not null)
        {
            w.WriteString("op", op);
        }
    });

    /// <summary>Subscribes all symbols or none, then queues the ack and a snapshot (latest tick, forming candles, whole book).</summary>
    public async Task SubscribeAsync(IReadOnlyList<string> symbols, StreamChannels channels)
    {
        if (symbols.Count == 0)
        {
            throw new ClientRequestException("give at least one symbol");
        }

        Instrument[] instruments = symbols.Select(_host.Resolve).Distinct().ToArray();
        var ticking = new List<Instrument>();
        lock (_gate)
        {
            int total = _channels.Count + instruments.Count(i => !_channels.ContainsKey(i.Id));
            if (total > _options.MaxSymbolsPerClient)
            {
                throw new ClientRequestException($"a client may hold at most {_options.MaxSymbolsPerClient} symbols; unsubscribe some first");
            }

            foreach (Instrument instrument in instruments)
            {
                if (!_channels.TryGetValue(instrument.Id, out StreamChannels? held))
                {
                    _channels[instrument.Id] = held = new StreamChannels();
                }

                if (channels.Books && !held.Books)
                {
                    _bookResets.Enqueue(instrument.Id);
                }

                if (channels.Ticks && !held.Ticks)
                {
                    ticking.Add(instrument);
                }

                held.UnionWith(channels);
            }
        }

        if (channels.Books)
        {
            _subscription.Subscriber.EnableBooks();
        }

        foreach (CandleInterval interval in channels.Candles)
        {
            _subscription.Subscriber.AddCandleInterval(interval);
        }

        foreach (Instrument instrument in instruments)
        {
            foreach (CandleInterval interval in channels.Candles)
            {
                await _host.Hub.EnsureCandlesAsync(instrument.Id, interval);
            }

            // Ticks come from the fan-out, which holds the instrument at the hub for them: the hub's thread visits this
            // client's mailbox only for the candles and books it asked for.
            if (channels.Books || channels.Candles.Count > 0)
            {
                _subscription.Add(instrument);
            }
        }

        foreach (Instrument instrument in ticking)
        {
            _fanout.Add(instrument, _ticks);
        }

        Reply("ack", w =>
        {
            w.WriteString("op", "subscribe");
            WriteStrings(w, "symbols", instruments.Select(i => i.Symbol));
            WriteStrings(w, "channels", channels.Names());
        });
        await QueueSnapshotAsync(instruments, channels);
    }

    public void Unsubscribe(IReadOnlyList<string> symbols)
    {
        Instrument[] instruments = symbols.Select(_host.Resolve).ToArray();
        lock (_gate)
        {
            foreach (Instrument instrument in instruments)
            {
                _channels.Remove(instrument.Id);
                _subscription.Remove(instrument.Symbol);
            }
        }

        foreach (Instrument instrument in instruments)
        {
            _fanout.Remove(instrument, _ticks);
        }

        Reply("ack", w =>
        {
            w.WriteString("op", "unsubscribe");
            WriteStrings(w, "symbols", instruments.Select(i => i.Symbol));
        });
    }

    /// <summary>Sends until cancelled. Returns the reason when the server ends the connection, null otherwise.</summary>
    public async Task<string?> RunWriterAsync(CancellationToken cancellationToken)
    {
        HubSubscriber subscriber = _subscription.Subscriber;

        // One timeout source for the session, re-armed per pass: a pass that cannot finish in time means the client is stuck.
        using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (subscriber.PendingCandles > _options.MaxPendingCandleEvents)
            {
                return $"slow consumer: more than {_options.MaxPendingCandleEvents} candle events pending";
            }

            sendTimeout.CancelAfter(_options.SendTimeout);
            try
            {
                await SendPendingAsync(subscriber, sendTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"slow consumer: a send took longer than {_options.SendTimeout.TotalSeconds:0.#} s";
            }

            sendTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
            if (_control.Reader.TryPeek(out _) || _chains.HasPending)
            {
                continue;
            }

            // Market data and replies both wake this wait: replies call Wake() after queueing.
            if (!await subscriber.WaitToReadAnyAsync(cancellationToken))
            {
                return null;
            }
        }

        return null;
    }

    public Task CloseAsync(string reason, bool policyViolation) =>
        _transport.CloseAsync(reason, policyViolation, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _control.Writer.TryComplete();
        InstrumentId[] held;
        lock (_gate)
        {
            held = [.. _channels.Keys];
        }

        foreach (InstrumentId id in held)
        {
            _fanout.Remove(_host.Instruments.Get(id), _ticks);
        }

        _chains.Dispose();
        await _subscription.DisposeAsync();
    }

    private async Task QueueSnapshotAsync(Instrument[] instruments, StreamChannels channels)
    {
        foreach (Instrument instrument in instruments)
        {
            if (channels.Ticks && _host.Hub.Quotes.TryGetLatest(instrument.Id, out Tick latest))
            {
                Queue("tick", _tickCache.Get(in latest, instrument).ToArray(), (latest.Instrument, null, latest.Seq));
            }

            foreach (CandleInterval interval in channels.Candles)
            {
                CandleSnapshot snapshot = await _host.Hub.GetCandlesAsync(instrument.Id, interval, 0);
                if (snapshot.Current is { } current)
                {
                    Queue("candle", ToBytes(w => CandleJson.Write(w, in current, interval, instrument, snapshot.Seq)), (instrument.Id, interval, snapshot.Seq));
                }
            }

            // The book's current view goes through the mailbox, in order with the views after it; the writer sends it whole.
            if (channels.Books)
            {
                await _host.Hub.PostCurrentBookAsync(_subscription.Subscriber, instrument.Id);
            }
        }
    }

    private void Reply(string type, Action<Utf8JsonWriter> body) =>
        Queue(type, ToBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            body(writer);
            writer.WriteEndObject();
        }));

    private void Queue(string type, byte[] json, (InstrumentId Instrument, CandleInterval? Interval, long Seq)? snapshotOf = null)
    {
        _control.Writer.TryWrite(new ControlItem(type, json, snapshotOf));
        _subscription.Subscriber.Wake();
    }

    /// <summary>A reply or snapshot message; a snapshot tick (no interval) or candle carries its key and seq for the writer's filter.</summary>
    private readonly record struct ControlItem(string Type, byte[] Json, (InstrumentId Instrument, CandleInterval? Interval, long Seq)? SnapshotOf);

    /// <summary>A message of its own (for the control queue, written from the request side).</summary>
    private static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes into the writer loop's reusable buffer; valid until the next call.</summary>
    private ReadOnlyMemory<byte> Serialize(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, JsonValues.WriterOptions))
        {
            write(writer);
        }

        return _buffer.WrittenMemory;
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
