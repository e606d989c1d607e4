using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase Advanced Trade market data for the shared <see cref="FeedSession"/>. Every connection opens the stream URL
/// and subscribes its share, one message per channel, plus <c>heartbeats</c> (channels without updates are closed
/// after a minute or so otherwise). <c>sequence_num</c> is checked per connection (<see cref="CoinbaseConnectionSequence"/>):
/// a gap marks every book on that connection resyncing at once and resubscribes their <c>level2</c>, whose fresh
/// snapshot heals them; a new socket does the same without the resubscribe (the session subscribes anyway). Books
/// chain through continuity stamps (see <see cref="Stamp"/>) judged by the core's <see cref="UpdateIdContinuity"/>.
/// An error naming a product goes to that instrument's health alone.
/// </summary>
internal sealed class CoinbaseStreamProtocol(Func<CoinbaseOptions> options, CoinbaseInstrumentMaster master, FeedHealth health)
    : IStreamProtocol, IBookSnapshotSource
{
    /// <summary>How long a resubscribed book waits for its snapshot before another resubscribe may be sent for it.</summary>
    public static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection waits after Coinbase says it sends too many messages.</summary>
    public static readonly TimeSpan TooManyMessagesBackoff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<InstrumentId, FeedMode> _modes = [];
    private readonly ConcurrentDictionary<int, CoinbaseConnectionSequence> _connections = new();
    private readonly ConcurrentQueue<InstrumentId> _resyncWanted = new();
    private readonly ConcurrentDictionary<InstrumentId, int> _bookConnection = new();
    private long _stamp;
    private long _sequenceGaps;
    private long _resubscribes;
    private long _errors;
    private long _otherChannels;

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: options().ProductsPerConnection, Connections: Math.Max(1, options().MaxConnections), InstrumentsPerMessage: 50)
    {
        ControlMessagesPerSecond = options().ControlMessagesPerSecond,
    };

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public string FeedName { get; set; } = "coinbase";

    /// <summary>Messages whose <c>sequence_num</c> was not the next one on a live connection (each resyncs that connection's books).</summary>
    public long SequenceGaps => Interlocked.Read(ref _sequenceGaps);

    /// <summary>Books resubscribed for a fresh snapshot after a gap (or because the hub asked for one).</summary>
    public long Resubscribes => Interlocked.Read(ref _resubscribes);

    /// <summary>Error messages from Coinbase.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages of channels not subscribed to (ignored, as Coinbase asks).</summary>
    public long OtherChannels => Interlocked.Read(ref _otherChannels);

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
    {
        // Coinbase numbers each socket's messages afresh.
        _connections.GetOrAdd(connection, _ => new CoinbaseConnectionSequence()).Restart();
        return ValueTask.FromResult(new StreamEndpoint(BuildStreamUri()));
    }

    public Uri BuildStreamUri()
    {
        string url = options().StreamUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? stream) && (stream.Scheme == "ws" || stream.Scheme == "wss")
            ? stream
            : throw new FeedConfigurationException($"Coinbase:StreamUrl '{url}' is not a ws:// or wss:// URL");
    }

    public int StreamsPerInstrument(FeedMode mode) => CoinbaseChannels.For(mode).Count();

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var subscribe = new List<(string, string)>(batch.Count * 3);
        var unsubscribe = new List<(string, string)>();
        lock (_modes)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetProduct(desired.Instrument, out string? product))
                {
                    continue;
                }

                if (_modes.TryGetValue(desired.Instrument, out FeedMode before) && before > desired.Mode)
                {
                    unsubscribe.AddRange(CoinbaseChannels.For(before).Except(CoinbaseChannels.For(desired.Mode)).Select(c => (c, product)));
                }

                _modes[desired.Instrument] = desired.Mode;
                subscribe.AddRange(CoinbaseChannels.For(desired.Mode).Select(c => (c, product)));
            }
        }

        if (subscribe.Count == 0 && unsubscribe.Count == 0)
        {
            return [];
        }

        return [Heartbeats(), .. CoinbaseChannels.Messages("unsubscribe", unsubscribe), .. CoinbaseChannels.Messages("subscribe", subscribe)];
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var pairs = new List<(string, string)>(batch.Count * 3);
        lock (_modes)
        {
            foreach (InstrumentId instrument in batch)
            {
                if (master.TryGetProduct(instrument, out string? product))
                {
                    FeedMode mode = _modes.Remove(instrument, out FeedMode held) ? held : FeedMode.Full;
                    pairs.AddRange(CoinbaseChannels.For(mode).Select(c => (c, product)));
                }
            }
        }

        return CoinbaseChannels.Messages("unsubscribe", pairs);
    }

    /// <summary>A quiet or empty connection subscribes <c>heartbeats</c> (Coinbase closes a connection with no subscription after 5 s).</summary>
    public ControlMessage? IdleProbe() => Heartbeats();

    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (!frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        CoinbaseFrame decoded = CoinbaseDecoder.Decode(frame.Payload, master.Products, frame.ReceivedUtc, events);
        switch (decoded.Kind)
        {
            case CoinbaseFrameKind.Malformed:
                return FrameOutcome.Malformed;
            case CoinbaseFrameKind.Error:
                return Error(decoded.Message!);
            case CoinbaseFrameKind.OtherChannel:
                Interlocked.Increment(ref _otherChannels);
                break;
        }

        CoinbaseConnectionSequence connection = _connections.GetOrAdd(frame.Connection, _ => new CoinbaseConnectionSequence());
        switch (connection.Check(decoded.Sequence))
        {
            case CoinbaseConnectionSequence.Verdict.Gap:
                Interlocked.Increment(ref _sequenceGaps);
                Break(connection, events, frame.ReceivedUtc, resubscribe: true);
                break;
            case CoinbaseConnectionSequence.Verdict.Start:
                Break(connection, events, frame.ReceivedUtc, resubscribe: false);
                break;
        }

        Stamp(connection, frame.Connection, events);
        ResubscribeWanted(connection, frame.Connection, events, frame.ReceivedUtc);
        for (int i = 0; i < decoded.UnknownProducts; i++)
        {
            health.CountUnknownInstrument();
        }

        return FrameOutcome.Ok;
    }

    /// <summary>
    /// The hub wants a fresh book (it found a gap, or waited too long): queued for a <c>level2</c> resubscribe on the
    /// book's connection, sent with that connection's next message (heartbeats come every second). The snapshot then
    /// arrives on the stream, so nothing is returned here.
    /// </summary>
    public Task<BookUpdate?> GetBookSnapshotAsync(InstrumentId instrument, CancellationToken cancellationToken)
    {
        _resyncWanted.Enqueue(instrument);
        return Task.FromResult<BookUpdate?>(null);
    }

    private static ControlMessage Heartbeats() => CoinbaseChannels.Message("subscribe", CoinbaseChannels.Heartbeats, null);

    /// <summary>
    /// Continuity stamps: one counter for the whole feed, +1 per book message. A snapshot covers its own stamp; a diff
    /// covers (its connection's last break, its stamp], so the core's <see cref="UpdateIdContinuity"/> applies it to a
    /// book newer than that break and calls it a gap otherwise, while diffs kept during a resync that are older than
    /// the fresh snapshot are stale.
    /// </summary>
    private void Stamp(CoinbaseConnectionSequence connection, int index, StreamEvents events)
    {
        foreach (BookUpdate book in events.Books)
        {
            if (book.LastUpdateId != 0)
            {
                continue; // a break marker, already stamped
            }

            long stamp = Interlocked.Increment(ref _stamp);
            if (book.IsSnapshot)
            {
                (book.FirstUpdateId, book.LastUpdateId) = (stamp, stamp);
                connection.Books.Add(book.Instrument);
                connection.Awaiting.Remove(book.Instrument);
                _bookConnection[book.Instrument] = index;
                health.CountBookSnapshot();
            }
            else
            {
                (book.FirstUpdateId, book.LastUpdateId) = (connection.BreakStamp + 1, stamp);
            }

            health.ClearInstrumentError(book.Instrument);
        }

        foreach (Tick tick in events.Ticks)
        {
            health.ClearInstrumentError(tick.Instrument);
        }
    }

    /// <summary>
    /// Messages were lost on this connection (or it is a new socket): every book on it is marked resyncing now, by an
    /// empty diff that skips past it, ahead of whatever this frame carries; after a gap their <c>level2</c> is
    /// resubscribed for fresh snapshots (unless one is already on its way).
    /// </summary>
    private void Break(CoinbaseConnectionSequence connection, StreamEvents events, DateTime now, bool resubscribe)
    {
        long mark = Interlocked.Increment(ref _stamp);
        connection.BreakStamp = mark;
        var markers = new List<BookUpdate>(connection.Books.Count);
        foreach (InstrumentId instrument in connection.Books)
        {
            BookUpdate marker = BookUpdate.Rent();
            marker.Instrument = instrument;
            (marker.FirstUpdateId, marker.LastUpdateId) = (mark + 1, mark);
            marker.ReceiveTime = now;
            marker.Source = TickSource.Stream;
            marker.Continuity = UpdateIdContinuity.Instance;
            markers.Add(marker);
        }

        events.Books.InsertRange(0, markers);
        if (!resubscribe)
        {
            // A new socket: the session subscribes its share, and each subscription starts with a snapshot.
            connection.Awaiting.Clear();
            foreach (InstrumentId instrument in connection.Books)
            {
                connection.Awaiting[instrument] = now;
            }

            connection.Books.Clear();
            return;
        }

        Resubscribe(connection, connection.Books, events, now);
    }

    private void ResubscribeWanted(CoinbaseConnectionSequence connection, int index, StreamEvents events, DateTime now)
    {
        if (_resyncWanted.IsEmpty)
        {
            return;
        }

        var mine = new List<InstrumentId>();
        int count = _resyncWanted.Count;
        for (int i = 0; i < count && _resyncWanted.TryDequeue(out InstrumentId instrument); i++)
        {
            if (!_bookConnection.TryGetValue(instrument, out int holder))
            {
                continue; // no book of ours: its first snapshot is on its way with its subscription
            }

            if (holder == index)
            {
                mine.Add(instrument);
            }
            else
            {
                _resyncWanted.Enqueue(instrument); // another connection's book: its loop takes it
            }
        }

        Resubscribe(connection, mine, events, now);
    }

    private void Resubscribe(CoinbaseConnectionSequence connection, IEnumerable<InstrumentId> books, StreamEvents events, DateTime now)
    {
        var products = new List<string>();
        lock (_modes)
        {
            foreach (InstrumentId instrument in books)
            {
                if ((!connection.Awaiting.TryGetValue(instrument, out DateTime since) || now - since > SnapshotWait)
                    && _modes.TryGetValue(instrument, out FeedMode mode) && mode == FeedMode.Full
                    && master.TryGetProduct(instrument, out string? product))
                {
                    connection.Awaiting[instrument] = now;
                    products.Add(product);
                }
            }
        }

        if (products.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _resubscribes, products.Count);
        Logger.BooksResubscribed(FeedName, products.Count);
        events.Replies.Add(CoinbaseChannels.Message("unsubscribe", CoinbaseChannels.Level2, products));
        events.Replies.Add(CoinbaseChannels.Message("subscribe", CoinbaseChannels.Level2, products));
    }

    /// <summary>
    /// An error from Coinbase. One naming a product we hold is that instrument's (its health shows it); any other is
    /// the feed's. "Too many" / rate-limit errors precede a disconnect: back off before reconnecting.
    /// </summary>
    private FrameOutcome Error(string message)
    {
        Interlocked.Increment(ref _errors);
        string safe = FeedHealth.Sanitize(message)!;
        Logger.VenueError(FeedName, safe);
        bool named = false;
        foreach (string token in message.Split([' ', ',', ':', ';', '"', '\'', '(', ')', '[', ']', '{', '}'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (master.Products.TryGet(token, out InstrumentId instrument))
            {
                health.RecordInstrumentError(instrument, "Coinbase: " + message);
                named = true;
            }
        }

        if (!named)
        {
            health.RecordError("Coinbase: " + message);
        }

        return message.Contains("too many", StringComparison.OrdinalIgnoreCase) || message.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
            ? FrameOutcome.RateLimited(TooManyMessagesBackoff, "Coinbase: " + safe)
            : FrameOutcome.Ok;
    }
}
