using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance Spot's combined streams for the shared <see cref="FeedSession"/>. Every connection opens the bare
/// <c>{StreamUrl}/stream</c> and subscribes its share with <c>SUBSCRIBE</c> messages: the session replays the share
/// after every connect and handover anyway, and a URL listing up to 1024 streams would run to some 25 KB. A mode
/// downgrade unsubscribes the streams no longer needed. Limits: 1024 streams per connection, 4 control messages a
/// second (Binance disconnects past 5, pings and pongs included), connections replaced before Binance's 24-hour cut.
/// A quiet connection is asked <c>GET_PROPERTY</c> (see <see cref="IdleProbe"/>): Binance otherwise sends only
/// WebSocket pings, which ClientWebSocket answers by itself without surfacing them. Book snapshots come from REST.
/// </summary>
internal sealed class BinanceStreamProtocol(Func<BinanceOptions> options, BinanceInstrumentMaster master, BinanceRestClient rest, FeedHealth health)
    : IStreamProtocol, IBookSnapshotSource
{
    /// <summary>How long a connection waits after Binance says it sends too many messages (it disconnects such connections).</summary>
    public static readonly TimeSpan TooManyMessagesBackoff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<InstrumentId, FeedMode> _modes = [];
    private long _nextId;
    private long _acks;
    private long _controlErrors;
    private long _unknownEvents;

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: 1024, Connections: Math.Max(1, options().MaxConnections), InstrumentsPerMessage: 50)
    {
        StreamsPerConnection = 1024,
        ControlMessagesPerSecond = 4,
        MaxConnectionAge = TimeSpan.FromHours(24),
    };

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public string FeedName { get; set; } = "binance";

    /// <summary>Control messages Binance confirmed (<c>{"result":…,"id":N}</c>).</summary>
    public long ControlAcks => Interlocked.Read(ref _acks);

    /// <summary>Control messages Binance refused (<c>{"code":…,"msg":…}</c>).</summary>
    public long ControlErrors => Interlocked.Read(ref _controlErrors);

    /// <summary>Well-formed events of types not subscribed to (also counted as malformed frames by the session).</summary>
    public long UnknownEvents => Interlocked.Read(ref _unknownEvents);

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => ValueTask.FromResult(new StreamEndpoint(BuildStreamUri()));

    public Uri BuildStreamUri()
    {
        string url = options().StreamUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? stream) || (stream.Scheme != "ws" && stream.Scheme != "wss"))
        {
            throw new FeedConfigurationException($"Binance:StreamUrl '{url}' is not a ws:// or wss:// URL");
        }

        return new Uri(url.TrimEnd('/') + "/stream");
    }

    public int StreamsPerInstrument(FeedMode mode) => BinanceStreams.Count(mode);

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var subscribe = new List<string>(batch.Count * 3);
        var unsubscribe = new List<string>();
        lock (_modes)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetStreamSymbol(desired.Instrument, out string? symbol))
                {
                    continue;
                }

                if (_modes.TryGetValue(desired.Instrument, out FeedMode before) && before > desired.Mode)
                {
                    unsubscribe.AddRange(BinanceStreams.Names(symbol, before).Except(BinanceStreams.Names(symbol, desired.Mode)));
                }

                _modes[desired.Instrument] = desired.Mode;
                subscribe.AddRange(BinanceStreams.Names(symbol, desired.Mode));
            }
        }

        var messages = new List<ControlMessage>(2);
        if (unsubscribe.Count > 0)
        {
            messages.Add(BinanceStreams.Request("UNSUBSCRIBE", unsubscribe, NextId()));
        }

        if (subscribe.Count > 0)
        {
            messages.Add(BinanceStreams.Request("SUBSCRIBE", subscribe, NextId()));
        }

        return messages;
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var streams = new List<string>(batch.Count * 3);
        lock (_modes)
        {
            foreach (InstrumentId instrument in batch)
            {
                if (master.TryGetStreamSymbol(instrument, out string? symbol))
                {
                    FeedMode mode = _modes.Remove(instrument, out FeedMode held) ? held : FeedMode.Full;
                    streams.AddRange(BinanceStreams.Names(symbol, mode));
                }
            }
        }

        return streams.Count == 0 ? [] : [BinanceStreams.Request("UNSUBSCRIBE", streams, NextId())];
    }

    public ControlMessage? IdleProbe() => BinanceStreams.Probe(NextId());

    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (!frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        BinanceFrame decoded = BinanceDecoder.Decode(frame.Payload, master.Symbols, frame.ReceivedUtc, events);
        switch (decoded.Kind)
        {
            case BinanceFrameKind.Trade or BinanceFrameKind.BookTicker or BinanceFrameKind.DepthUpdate:
                return FrameOutcome.Ok;
            case BinanceFrameKind.UnknownSymbol:
                health.CountUnknownInstrument();
                return FrameOutcome.Ok;
            case BinanceFrameKind.ControlAck:
                Interlocked.Increment(ref _acks);
                return FrameOutcome.Ok;
            case BinanceFrameKind.ControlError:
                return ControlError(decoded);
            case BinanceFrameKind.ServerShutdown:
                return FrameOutcome.ServerShutdown($"serverShutdown at {decoded.Time:u}");
            case BinanceFrameKind.UnknownEvent:
                Interlocked.Increment(ref _unknownEvents);
                return FrameOutcome.Malformed;
            default:
                return FrameOutcome.Malformed;
        }
    }

    public async Task<BookUpdate?> GetBookSnapshotAsync(InstrumentId instrument, CancellationToken cancellationToken) =>
        master.TryGetSymbol(instrument, out string? symbol)
            ? await rest.GetDepthSnapshotAsync(instrument, symbol, options().DepthSnapshotLimit, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>
    /// A refused control message. "Too many requests/messages" means Binance is about to drop this connection for
    /// its pace: back off before reconnecting. Anything else (a malformed request, an unknown stream) is our mistake,
    /// counted and recorded; the connection is fine.
    /// </summary>
    private FrameOutcome ControlError(BinanceFrame error)
    {
        Interlocked.Increment(ref _controlErrors);
        string reason = string.IsNullOrWhiteSpace(error.Message) ? "no message" : error.Message;
        health.RecordError($"Binance refused control message {error.Id} (code {error.Code}): {reason}");
        Logger.ControlRejected(FeedName, error.Id, error.Code, FeedHealth.Sanitize(reason)!);
        return reason.Contains("too many", StringComparison.OrdinalIgnoreCase)
            ? FrameOutcome.RateLimited(TooManyMessagesBackoff, $"Binance: {reason} (code {error.Code})")
            : FrameOutcome.Ok;
    }

    private long NextId() => Interlocked.Increment(ref _nextId);
}
