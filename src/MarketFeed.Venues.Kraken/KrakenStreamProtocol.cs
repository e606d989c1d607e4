using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken Spot WebSocket v2 for the shared <see cref="FeedSession"/>. Every connection opens the public endpoint and
/// subscribes its share, one request per channel naming many symbols, each answered by one ack (or error) per symbol.
/// A mode downgrade unsubscribes the channels no longer needed. An error naming a symbol goes to that instrument's
/// health with Kraken's text; "Exceeded msg rate" backs the connection off. Heartbeats keep a subscribed connection
/// alive; an empty one is pinged (<see cref="IdleProbe"/>). Books are checked by <see cref="KrakenBookChecksum"/>:
/// when one fails, the hub asks for a snapshot and this protocol answers by unsubscribing and resubscribing that one
/// symbol's <c>book</c> on the connection that carries it (Kraken then sends a fresh snapshot), never the whole
/// connection.
/// </summary>
internal sealed class KrakenStreamProtocol(Func<KrakenOptions> options, KrakenInstrumentMaster master, FeedHealth health)
    : IStreamProtocol, IBookSnapshotSource
{
    /// <summary>How long a connection waits after Kraken says it sends too many messages.</summary>
    public static readonly TimeSpan TooManyMessagesBackoff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<InstrumentId, FeedMode> _modes = [];
    private readonly ConcurrentDictionary<InstrumentId, int> _bookConnection = new();
    private readonly ConcurrentDictionary<InstrumentId, byte> _resubscribe = new();
    private readonly ConcurrentDictionary<InstrumentId, KrakenChannel> _refused = new();

    // Kraken's errors name the request and the symbol, not the channel: the channel of each recent req_id, by req_id.
    private readonly (long RequestId, KrakenChannel Channel)[] _sent = new (long, KrakenChannel)[4096];
    private long _nextId;
    private long _acks;
    private long _requestErrors;
    private long _unknownChannels;
    private long _bookResubscribes;
    private long _heartbeats;
    private string? _system;

    public ShardingLimits Limits { get; } = new(
        InstrumentsPerConnection: Math.Max(1, options().InstrumentsPerConnection), Connections: Math.Max(1, options().MaxConnections), InstrumentsPerMessage: 100)
    {
        ControlMessagesPerSecond = options().ControlMessagesPerSecond,
    };

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public string FeedName { get; set; } = "kraken";

    /// <summary>Symbols Kraken acked (one per symbol of each subscribe or unsubscribe).</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Requests (per symbol) Kraken refused.</summary>
    public long RequestErrors => Interlocked.Read(ref _requestErrors);

    /// <summary>Well-formed data of channels not subscribed to (also counted as malformed frames by the session).</summary>
    public long UnknownChannels => Interlocked.Read(ref _unknownChannels);

    /// <summary>Books resubscribed after a failed checksum.</summary>
    public long BookResubscribes => Interlocked.Read(ref _bookResubscribes);

    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>The trading engine's state from the last status message (<c>online</c>, <c>maintenance</c>, …); null before one.</summary>
    public string? SystemStatus => Volatile.Read(ref _system);

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => ValueTask.FromResult(new StreamEndpoint(BuildStreamUri()));

    public Uri BuildStreamUri()
    {
        string url = options().StreamUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? stream) && (stream.Scheme == "ws" || stream.Scheme == "wss")
            ? stream
            : throw new FeedConfigurationException($"Kraken:StreamUrl '{url}' is not a ws:// or wss:// URL");
    }

    public int StreamsPerInstrument(FeedMode mode) => KrakenRequests.Count(mode);

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var subscribe = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var unsubscribe = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        lock (_modes)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetSymbol(desired.Instrument, out string? symbol))
                {
                    continue;
                }

                if (_modes.TryGetValue(desired.Instrument, out FeedMode before) && before > desired.Mode)
                {
                    foreach (string channel in KrakenRequests.Channels(before).Except(KrakenRequests.Channels(desired.Mode)))
                    {
                        Add(unsubscribe, channel, symbol);
                    }
                }

                _modes[desired.Instrument] = desired.Mode;
                foreach (string channel in KrakenRequests.Channels(desired.Mode))
                {
                    Add(subscribe, channel, symbol);
                }
            }
        }

        return Requests(unsubscribe, subscribe: false).Concat(Requests(subscribe, subscribe: true)).ToList();
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var unsubscribe = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        lock (_modes)
        {
            foreach (InstrumentId instrument in batch)
            {
                if (master.TryGetSymbol(instrument, out string? symbol))
                {
                    FeedMode mode = _modes.Remove(instrument, out FeedMode held) ? held : FeedMode.Full;
                    foreach (string channel in KrakenRequests.Channels(mode))
                    {
                        Add(unsubscribe, channel, symbol);
                    }

                    _bookConnection.TryRemove(instrument, out _);
                    _resubscribe.TryRemove(instrument, out _);
                }
            }
        }

        return Requests(unsubscribe, subscribe: false).ToList();
    }

    public ControlMessage? IdleProbe() => KrakenRequests.Ping(NextId());

    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (!frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        int books = events.Books.Count;
        KrakenFrame decoded = KrakenDecoder.Decode(frame.Payload, master.Symbols, frame.ReceivedUtc, events);
        for (int i = books; i < events.Books.Count; i++)
        {
            if (events.Books[i].IsSnapshot)
            {
                // Kraken's snapshots come on the stream (after a subscribe or a resubscribe), not from REST.
                health.CountBookSnapshot();
            }
        }

        if (!_resubscribe.IsEmpty)
        {
            Resubscribe(frame.Connection, events);
        }

        switch (decoded.Kind)
        {
            case KrakenFrameKind.MarketData or KrakenFrameKind.UnknownSymbol:
                for (int i = 0; i < decoded.UnknownSymbols; i++)
                {
                    health.CountUnknownInstrument();
                }

                return FrameOutcome.Ok;
            case KrakenFrameKind.Heartbeat:
                Interlocked.Increment(ref _heartbeats);
                return FrameOutcome.Ok;
            case KrakenFrameKind.Pong:
                return FrameOutcome.Ok;
            case KrakenFrameKind.Status:
                if (!string.Equals(Interlocked.Exchange(ref _system, decoded.Text), decoded.Text, StringComparison.Ordinal))
                {
                    Logger.SystemStatus(FeedName, FeedHealth.Sanitize(decoded.Text)!);
                }

                return FrameOutcome.Ok;
            case KrakenFrameKind.Ack:
                Interlocked.Increment(ref _acks);
                Acked(decoded, frame.Connection);
                return FrameOutcome.Ok;
            case KrakenFrameKind.RequestError:
                return Refused(decoded);
            case KrakenFrameKind.UnknownChannel:
                Interlocked.Increment(ref _unknownChannels);
                return FrameOutcome.Malformed;
            default:
                return FrameOutcome.Malformed;
        }
    }

    /// <summary>
    /// The hub's book of <paramref name="instrument"/> failed its checksum (or waits for a first snapshot): queue a
    /// resubscription of that symbol's book, sent with the next frame its connection reads (Kraken heartbeats every
    /// second), and answer nothing — the snapshot arrives on the stream.
    /// </summary>
    public Task<BookUpdate?> GetBookSnapshotAsync(InstrumentId instrument, CancellationToken cancellationToken)
    {
        bool full;
        lock (_modes)
        {
            full = _modes.TryGetValue(instrument, out FeedMode mode) && mode == FeedMode.Full;
        }

        if (full && master.TryGetSymbol(instrument, out string? symbol) && _resubscribe.TryAdd(instrument, 0))
        {
            Logger.BookResubscribe(FeedName, symbol);
        }

        return Task.FromResult<BookUpdate?>(null);
    }

    private void Resubscribe(int connection, StreamEvents events)
    {
        foreach (InstrumentId instrument in _resubscribe.Keys)
        {
            // A book whose ack was not seen yet lives where the session put it; with one connection that is this one.
            int carrier = _bookConnection.TryGetValue(instrument, out int known) ? known : 0;
            if (carrier != connection || !master.TryGetSymbol(instrument, out string? symbol) || !_resubscribe.TryRemove(instrument, out _))
            {
                continue;
            }

            int depth = options().BookDepth;
            events.Replies.Add(KrakenRequests.Request(subscribe: false, KrakenRequests.Book, [symbol], depth, NextId()));
            events.Replies.Add(KrakenRequests.Request(subscribe: true, KrakenRequests.Book, [symbol], depth, Sent(KrakenRequests.Book)));
            Interlocked.Increment(ref _bookResubscribes);
        }
    }

    private void Acked(KrakenFrame ack, int connection)
    {
        if (ack.Symbol is null || !master.Symbols.TryGet(ack.Symbol, out InstrumentId instrument))
        {
            return;
        }

        if (ack.Subscribe)
        {
            // Only an ack of the channel Kraken refused clears the instrument's error (acks of its other channels may follow it).
            if (_refused.TryGetValue(instrument, out KrakenChannel refused) && refused == ack.Channel && _refused.TryRemove(instrument, out _))
            {
                health.ClearInstrumentError(instrument);
            }

            if (ack.Channel == KrakenChannel.Book)
            {
                _bookConnection[instrument] = connection;
            }
        }
    }

    /// <summary>
    /// A refused request. "Exceeded msg rate" means Kraken is about to drop this connection for its pace: back off.
    /// An error naming a symbol (not supported, already subscribed, …) belongs to that instrument; others to the feed.
    /// </summary>
    private FrameOutcome Refused(KrakenFrame error)
    {
        Interlocked.Increment(ref _requestErrors);
        string reason = string.IsNullOrWhiteSpace(error.Text) ? "no error text" : error.Text;
        string method = error.Subscribe ? "subscribe" : "unsubscribe";
        string channel = error.Channel == KrakenChannel.None ? "" : error.Channel.ToString().ToLowerInvariant();
        Logger.RequestRejected(FeedName, method, channel, FeedHealth.Sanitize(error.Symbol) ?? "", error.RequestId, FeedHealth.Sanitize(reason)!);
        if (error.Symbol is not null && master.Symbols.TryGet(error.Symbol, out InstrumentId instrument))
        {
            // Unsubscribing something no longer subscribed is harmless (a resubscription racing a change).
            if (error.Subscribe)
            {
                (long id, KrakenChannel channel) sent;
                lock (_sent)
                {
                    sent = _sent[error.RequestId & (_sent.Length - 1)];
                }

                _refused[instrument] = error.Channel != KrakenChannel.None ? error.Channel : sent.id == error.RequestId ? sent.channel : KrakenChannel.None;
                health.RecordInstrumentError(instrument, "Kraken: " + reason);
            }
        }
        else
        {
            health.RecordError($"Kraken refused {method} (req_id {error.RequestId}): {reason}");
        }

        return reason.Contains("msg rate", StringComparison.OrdinalIgnoreCase)
            ? FrameOutcome.RateLimited(TooManyMessagesBackoff, "Kraken: " + reason)
            : FrameOutcome.Ok;
    }

    private IEnumerable<ControlMessage> Requests(Dictionary<string, List<string>> byChannel, bool subscribe)
    {
        int depth = options().BookDepth;
        foreach (string channel in (string[])[KrakenRequests.Trade, KrakenRequests.Ticker, KrakenRequests.Book])
        {
            if (byChannel.TryGetValue(channel, out List<string>? symbols))
            {
                yield return KrakenRequests.Request(subscribe, channel, symbols, depth, Sent(channel));
            }
        }
    }

    private static void Add(Dictionary<string, List<string>> byChannel, string channel, string symbol)
    {
        if (!byChannel.TryGetValue(channel, out List<string>? symbols))
        {
            byChannel[channel] = symbols = [];
        }

        symbols.Add(symbol);
    }

    private long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>A new req_id for a request of <paramref name="channel"/>, remembered so an error naming it can be traced to its channel.</summary>
    private long Sent(string channel)
    {
        long id = NextId();
        KrakenChannel kind = channel switch
        {
            KrakenRequests.Trade => KrakenChannel.Trade,
            KrakenRequests.Ticker => KrakenChannel.Ticker,
            _ => KrakenChannel.Book,
        };
        lock (_sent)
        {
            _sent[id & (_sent.Length - 1)] = (id, kind);
        }

        return id;
    }
}
