using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Kite's WebSocket dialect for the shared <see cref="FeedSession"/>: <c>?api_key=&amp;access_token=</c> on the URL,
/// <c>{"a":"subscribe","v":[tokens]}</c> then <c>{"a":"mode","v":[mode,[tokens]]}</c>, binary frames through
/// <see cref="KiteDecoder"/>, text frames (<c>order</c>, <c>error</c>, <c>message</c>) surfaced as events.
/// Limits: 3000 instruments per connection, 3 connections per key, 200 tokens per message.
/// </summary>
public sealed class KiteStreamProtocol(Func<KiteOptions> options, KiteInstrumentMaster master, FeedHealth health) : IStreamProtocol
{
    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: 3000, Connections: 3, InstrumentsPerMessage: 200);

    /// <summary>Order postbacks (raw JSON of <c>data</c>) as Kite sends them on the ticker socket.</summary>
    public event Action<string>? OrderUpdate;

    /// <summary>Broker messages and errors sent as text on the socket.</summary>
    public event Action<string, string>? VenueMessage;

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => ValueTask.FromResult(new StreamEndpoint(BuildStreamUri()));

    /// <summary>The ticker URL with the current credentials in its query.</summary>
    public Uri BuildStreamUri()
    {
        KiteOptions current = options();
        (string apiKey, string accessToken) = current.RequireCredentials();
        if (!Uri.TryCreate(current.StreamUrl, UriKind.Absolute, out Uri? stream) || (stream.Scheme != "ws" && stream.Scheme != "wss"))
        {
            throw new FeedConfigurationException($"Kite:StreamUrl '{current.StreamUrl}' is not a ws:// or wss:// URL");
        }

        return new UriBuilder(stream) { Query = $"api_key={Uri.EscapeDataString(apiKey)}&access_token={Uri.EscapeDataString(accessToken)}" }.Uri;
    }

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        foreach (IGrouping<FeedMode, DesiredSubscription> byMode in batch.GroupBy(d => d.Mode))
        {
            string tokens = Tokens(byMode.Select(d => d.Instrument));
            if (tokens.Length == 0)
            {
                continue;
            }

            yield return ControlMessage.Text($"{{\"a\":\"subscribe\",\"v\":[{tokens}]}}");
            yield return ControlMessage.Text($"{{\"a\":\"mode\",\"v\":[\"{ModeName(byMode.Key)}\",[{tokens}]]}}");
        }
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        string tokens = Tokens(batch);
        if (tokens.Length > 0)
        {
            yield return ControlMessage.Text($"{{\"a\":\"unsubscribe\",\"v\":[{tokens}]}}");
        }
    }

    /// <summary>Binary frames are tick packets; text frames are order postbacks, errors and messages (rare: decoded through a string).</summary>
    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) =>
        (frame.IsText ? HandleText(Encoding.UTF8.GetString(frame.Payload)) : DecodeBinary(frame.Payload, frame.ReceivedUtc, events.Ticks))
            ? FrameOutcome.Ok
            : FrameOutcome.Malformed;

    public bool DecodeBinary(ReadOnlySpan<byte> frame, DateTime receivedUtc, List<Tick> ticks)
    {
        var collector = new Collector(ticks, health);
        KiteFrameStats stats = KiteDecoder.DecodeFrame(frame, master.Tokens, receivedUtc, ref collector);
        return stats.WellFormed;
    }

    /// <summary>
    /// Kite's text messages are objects with a string <c>type</c> (<c>order</c>, <c>error</c>, <c>message</c>) and a
    /// <c>data</c> member. Anything else — another JSON value, a non-string type, an unknown type, text escaping half
    /// a surrogate pair — is unreadable (false, counted by the session); a known type without <c>data</c> is still surfaced.
    /// </summary>
    public bool HandleText(string text)
    {
        if (!TryRead(text, out string? type, out string data))
        {
            return false;
        }

        switch (type)
        {
            case "order":
                OrderUpdate?.Invoke(data);
                return true;
            case "error":
                health.RecordError("Kite: " + (data.Length > 0 ? data : "error without detail"));
                VenueMessage?.Invoke("error", data);
                return true;
            case "message":
                VenueMessage?.Invoke("message", data);
                return true;
            default:
                return false;
        }
    }

    public static string ModeName(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => "ltp",
        FeedMode.Full => "full",
        _ => "quote",
    };

    private static bool TryRead(string text, [NotNullWhen(true)] out string? type, out string data)
    {
        (type, data) = (null, "");
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            type = typeElement.GetString()!;
            data = root.TryGetProperty("data", out JsonElement d)
                ? d.ValueKind == JsonValueKind.String ? d.GetString() ?? "" : d.GetRawText()
                : "";
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Found by fuzzing: valid JSON whose names or strings escape half a surrogate pair ("\ud800") parses, then
            // throws InvalidOperationException when a name is compared or a string read.
            type = null;
            return false;
        }
    }

    private string Tokens(IEnumerable<InstrumentId> instruments)
    {
        var text = new StringBuilder();
        foreach (InstrumentId instrument in instruments)
        {
            if (master.TryGetToken(instrument, out uint token))
            {
                text.Append(text.Length == 0 ? "" : ",").Append(token);
            }
        }

        return text.ToString();
    }

    private readonly struct Collector(List<Tick> ticks, FeedHealth health) : IKiteTickHandler
    {
        public void OnTick(in Tick tick) => ticks.Add(tick);

        public void OnUnknownToken(uint token) => health.CountUnknownInstrument();
    }
}
