using System.Collections.Concurrent;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox v3's WebSocket dialect for the shared <see cref="FeedSession"/>: an authorize REST call before every
/// connection (the socket URL it returns works once), subscriptions as JSON in binary frames
/// (<c>{"guid","method":"sub"|"unsub","data":{"mode","instrumentKeys"}}</c>), and protobuf <c>FeedResponse</c> frames
/// through <see cref="UpstoxDecoder"/>, one decoder (and merged state) per connection.
/// <para>
/// Limits: per connection 5000 <c>ltpc</c>, 3000 <c>option_greeks</c>, 2000 <c>full</c> or 50 <c>full_d30</c> keys.
/// They are one budget of 30 000 streams that each instrument takes 6, 10, 15 or 600 of by mode, so any mix stays
/// inside every single-mode limit (Upstox's lower "combined" limits for mixes are not modelled exactly: see docs).
/// </para>
/// </summary>
public sealed class UpstoxStreamProtocol(Func<UpstoxOptions> options, UpstoxRestClient rest, UpstoxInstrumentMaster master, UpstoxMarketSessions sessions, FeedHealth health)
    : IStreamProtocol
{
    public const int StreamBudget = 30_000;
    private readonly ConcurrentDictionary<int, UpstoxDecoder> _decoders = new();

    // Read once: the connection count and the depth mode shape the sharding, which is planned at start.
    private readonly bool _depth30 = options().Depth30;

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: 5000, Connections: Math.Max(1, options().Connections), InstrumentsPerMessage: 500)
    {
        StreamsPerConnection = StreamBudget,
    };

    public UpstoxMarketSessions Sessions => sessions;

    public async ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
    {
        options().RequireToken();
        Uri socket = await rest.AuthorizeFeedAsync(cancellationToken).ConfigureAwait(false);
        return new StreamEndpoint(socket);
    }

    public int StreamsPerInstrument(FeedMode mode) => ModeName(mode) switch
    {
        "ltpc" => StreamBudget / 5000,
        "option_greeks" => StreamBudget / 3000,
        "full" => StreamBudget / 2000,
        _ => StreamBudget / 50,
    };

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        foreach (IGrouping<string, DesiredSubscription> byMode in batch.GroupBy(d => ModeName(d.Mode)))
        {
            string[] keys = Keys(byMode.Select(d => d.Instrument));
            if (keys.Length > 0)
            {
                yield return Request("sub", byMode.Key, keys);
            }
        }
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        string[] keys = Keys(batch);
        if (keys.Length > 0)
        {
            yield return Request("unsub", null, keys);
        }
    }

    /// <summary>Upstox sends only binary protobuf; a text frame is not part of the protocol.</summary>
    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        UpstoxDecoder decoder = Decoder(frame.Connection);
        long unknown;
        bool ok;

        // One decoder per connection index; the lock only matters if a replacement connection ever overlaps its predecessor.
        lock (decoder)
        {
            unknown = decoder.UnknownKeys;
            ok = decoder.Decode(frame.Payload, frame.ReceivedUtc, events.Ticks, events.Books);
            unknown = decoder.UnknownKeys - unknown;
        }

        for (; unknown > 0; unknown--)
        {
            health.CountUnknownInstrument();
        }

        return ok ? FrameOutcome.Ok : FrameOutcome.Malformed;
    }

    /// <summary>The subscription mode for a requested depth: Ltp → ltpc, Quote → option_greeks, Full → full (full_d30 with <see cref="UpstoxOptions.Depth30"/>).</summary>
    public string ModeName(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => "ltpc",
        FeedMode.Quote => "option_greeks",
        _ => _depth30 ? "full_d30" : "full",
    };

    /// <summary>One request as Upstox's SDKs send it: UTF-8 JSON in a binary frame.</summary>
    public static ControlMessage Request(string method, string? mode, IReadOnlyList<string> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("guid", Guid.NewGuid().ToString("N"));
            json.WriteString("method", method);
            json.WriteStartObject("data");
            if (mode is not null)
            {
                json.WriteString("mode", mode);
            }

            json.WriteStartArray("instrumentKeys");
            foreach (string key in keys)
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return ControlMessage.Binary(buffer.ToArray());
    }

    private UpstoxDecoder Decoder(int connection) => _decoders.GetOrAdd(connection, _ => new UpstoxDecoder(() => master.Keys, sessions));

    private string[] Keys(IEnumerable<InstrumentId> instruments) =>
        [.. instruments.Select(id => master.TryGetKey(id, out string key) ? key : null).OfType<string>()];
}
