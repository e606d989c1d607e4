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

    /// <summary>Packets whose token is not in the instrument master: never turned into ticks.</summary>
    public long UnknownTokens => Interlocked.Read(ref _unknownTokens);

    private long _unknownTokens;

    /// <summary>Order postbacks (raw JSON of <c>data</c>) as Kite sends them on the ticker socket.</summary>
    public event Action<string>? OrderUpdate;

    /// <summary>Broker messages and errors sent as text on the socket.</summary>
    public event Action<string, string>? VenueMessage;

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

    public IEnumerable<string> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        foreach (IGrouping<FeedMode, DesiredSubscription> byMode in batch.GroupBy(d => d.Mode))
        {
            string tokens = Tokens(byMode.Select(d => d.Instrument));
            if (tokens.Length == 0)
            {
                continue;
            }

            yield return $"{{\"a\":\"subscribe\",\"v\":[{tokens}]}}";
            yield return $"{{\"a\":\"mode\",\"v\":[\"{ModeName(byMode.Key)}\",[{tokens}]]}}";
        }
    }

    public IEnumerable<string> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        string tokens = Tokens(batch);
        if (tokens.Length > 0)
        {
            yield return $"{{\"a\":\"unsubscribe\",\"v\":[{tokens}]}}";
        }
    }

    public bool DecodeBinary(ReadOnlySpan<byte> frame, DateTime receivedUtc, List<Tick> ticks)
    {
        var collector = new Collector(ticks, this);
        KiteFrameStats stats = KiteDecoder.DecodeFrame(frame, master.Tokens, receivedUtc, ref collector);
        return !stats.Truncated && stats.SkippedUnknownLength == 0;
    }

    public bool HandleText(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            string? type = root.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
            JsonElement data = root.TryGetProperty("data", out JsonElement d) ? d : default;
            switch (type)
            {
                case "order":
                    OrderUpdate?.Invoke(data.GetRawText());
                    return true;
                case "error":
                    health.RecordError("Kite: " + (data.ValueKind == JsonValueKind.String ? data.GetString() : data.GetRawText()));
                    VenueMessage?.Invoke("error", data.ToString());
                    return true;
                case "message":
                    VenueMessage?.Invoke("message", data.ToString());
                    return true;
                default:
                    return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string ModeName(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => "ltp",
        FeedMode.Full => "full",
        _ => "quote",
    };

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

    private readonly struct Collector(List<Tick> ticks, KiteStreamProtocol owner) : IKiteTickHandler
    {
        public void OnTick(in Tick tick) => ticks.Add(tick);

        public void OnUnknownToken(uint token) => Interlocked.Increment(ref owner._unknownTokens);
    }
}
