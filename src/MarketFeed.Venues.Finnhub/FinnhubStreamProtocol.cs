using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub's trade socket for the shared <see cref="FeedSession"/>: one connection per API key (a second one makes
/// Finnhub drop both), <c>{StreamUrl}?token=…</c> (the only place Finnhub takes the key), one
/// <c>{"type":"subscribe","symbol":"AAPL"}</c> per symbol, at most <see cref="FinnhubOptions.MaxSymbols"/> symbols.
/// Finnhub acknowledges nothing; over its cap it answers <c>{"msg":"Subscribing to too many symbols","type":"error"}</c>
/// without naming the symbol, which is the last one requested: that instrument alone is marked with the venue's text
/// in its health and taken off the list of subscribed ones. Finnhub's <c>{"type":"ping"}</c> (about once a minute)
/// keeps the connection alive; nothing needs answering. Trade frames repeated verbatim are dropped and counted
/// (<see cref="FinnhubDuplicateFilter"/>).
/// </summary>
internal sealed class FinnhubStreamProtocol(Func<FinnhubOptions> options, FinnhubInstrumentMaster master, FeedHealth health) : IStreamProtocol
{
    private readonly Lock _gate = new();
    private readonly List<InstrumentId> _requested = [];
    private readonly FinnhubDuplicateFilter _duplicates = new();
    private long _pings;
    private long _errors;
    private long _ignored;
    private long _duplicateFrames;

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: Math.Max(1, options().MaxSymbols), Connections: 1, InstrumentsPerMessage: 1)
    {
        ControlMessagesPerSecond = 25,
    };

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public string FeedName { get; set; } = "finnhub";

    /// <summary>Finnhub's keepalives received.</summary>
    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>Error messages Finnhub sent.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>News and press-release frames (never subscribed to) read and ignored.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Trade frames dropped as repeats (their trades are counted in <see cref="FeedHealth.DuplicatesDropped"/>).</summary>
    public long DuplicateFrames => Interlocked.Read(ref _duplicateFrames);

    /// <summary>The subscribed instruments in the order they were requested on the current connection.</summary>
    public IReadOnlyList<InstrumentId> Requested
    {
        get
        {
            lock (_gate)
            {
                return [.. _requested];
            }
        }
    }

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
    {
        Uri uri = BuildStreamUri();
        lock (_gate)
        {
            // A fresh connection holds no subscriptions: the session replays the share in order.
            _requested.Clear();
        }

        return ValueTask.FromResult(new StreamEndpoint(uri));
    }

    /// <summary>The socket URL with the token; never logged (the session records only scheme, host and path).</summary>
    public Uri BuildStreamUri()
    {
        FinnhubOptions current = options();
        string token = current.RequireToken();
        string url = current.StreamUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? stream) || (stream.Scheme != "ws" && stream.Scheme != "wss") || stream.Query.Length > 0)
        {
            throw new FeedConfigurationException($"Finnhub:StreamUrl '{url}' is not a ws:// or wss:// URL without a query");
        }

        return new Uri(url.TrimEnd('/') + "/?token=" + Uri.EscapeDataString(token));
    }

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var messages = new List<ControlMessage>(batch.Count);
        lock (_gate)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetSymbol(desired.Instrument, out string? symbol))
                {
                    continue;
                }

                // Asked again (a reconnect, a mode change): a refusal is judged afresh.
                health.ClearInstrumentError(desired.Instrument);
                if (!_requested.Contains(desired.Instrument))
                {
                    _requested.Add(desired.Instrument);
                }

                messages.Add(Message("subscribe", symbol));
            }
        }

        return messages;
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var messages = new List<ControlMessage>(batch.Count);
        lock (_gate)
        {
            foreach (InstrumentId instrument in batch)
            {
                health.ClearInstrumentError(instrument);
                _requested.Remove(instrument);
                if (master.TryGetSymbol(instrument, out string? symbol))
                {
                    messages.Add(Message("unsubscribe", symbol));
                }
            }
        }

        return messages;
    }

    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (!frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        FinnhubFrame decoded = FinnhubDecoder.Decode(frame.Payload, master.Symbols, frame.ReceivedUtc, events);
        switch (decoded.Kind)
        {
            case FinnhubFrameKind.Trade:
                if (_duplicates.IsRepeat(frame.Payload, frame.ReceivedUtc))
                {
                    Interlocked.Increment(ref _duplicateFrames);
                    health.CountDuplicates(decoded.Trades);
                    events.Ticks.Clear();
                    return FrameOutcome.Ok;
                }

                for (int i = 0; i < decoded.UnknownSymbols; i++)
                {
                    health.CountUnknownInstrument();
                }

                return FrameOutcome.Ok;
            case FinnhubFrameKind.Ping:
                Interlocked.Increment(ref _pings);
                return FrameOutcome.Ok;
            case FinnhubFrameKind.Error:
                VenueError(decoded.Message!);
                return FrameOutcome.Ok;
            case FinnhubFrameKind.Ignored:
                Interlocked.Increment(ref _ignored);
                return FrameOutcome.Ok;
            default:
                return FrameOutcome.Malformed;
        }
    }

    /// <summary>
    /// An error from Finnhub. One about symbols (its cap) refers to the last symbol requested and still standing:
    /// that instrument is marked and no longer counted as subscribed. Anything else is the feed's error.
    /// </summary>
    private void VenueError(string message)
    {
        Interlocked.Increment(ref _errors);
        string reason = string.IsNullOrWhiteSpace(message) ? "no message" : message;
        InstrumentId? refused = null;
        if (reason.Contains("symbol", StringComparison.OrdinalIgnoreCase))
        {
            lock (_gate)
            {
                if (_requested.Count > 0)
                {
                    refused = _requested[^1];
                    _requested.RemoveAt(_requested.Count - 1);
                }
            }
        }

        if (refused is { } instrument && master.TryGetSymbol(instrument, out string? symbol))
        {
            health.RecordInstrumentError(instrument, reason);
            health.RecordError($"Finnhub refused {symbol}: {reason}");
            Logger.SymbolRefused(FeedName, FeedHealth.Sanitize(symbol)!, FeedHealth.Sanitize(reason)!);
            return;
        }

        health.RecordError("Finnhub error: " + reason);
        Logger.VenueError(FeedName, FeedHealth.Sanitize(reason)!);
    }

    private static ControlMessage Message(string type, string symbol)
    {
        using var buffer = new MemoryStream(48 + symbol.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("symbol", symbol);
            writer.WriteEndObject();
        }

        return new ControlMessage(buffer.ToArray(), IsText: true);
    }
}
