using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Bus;

/// <summary>
/// Configuration section <c>Bus</c> (docs/configuration.md): the broker, this process's shards, batching and bounds
/// for publishing, and where a consumer (<c>--feed bus</c>) starts reading. Every property has a default; the bus is
/// off until <see cref="Url"/> is set.
/// </summary>
public sealed class BusOptions
{
    /// <summary>
    /// <c>amqp://user:password@host:5672/vhost</c>. From configuration or the environment
    /// (<c>MARKETFEED_Bus__Url</c>) only, never logged with its password (<see cref="RedactedUrl"/>). Default none: no bus.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// The bus: its topic exchange, and the prefix of its streams (<c>{Name}.s.{shard}</c>). Several buses can share a
    /// broker under different names. Default <c>marketfeed</c>.
    /// </summary>
    public string Name { get; set; } = BusContract.DefaultName;

    /// <summary>This producer's name in every batch and in consumers' health. Default <c>{machine}-{shards it owns}</c>.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Streams the instruments are spread over (<see cref="BusContract.ShardOf"/>). Every producer and consumer of one bus must agree. Default 4.</summary>
    public int Shards { get; set; } = 4;

    /// <summary>
    /// Shards this process publishes, comma-separated (<c>0,1</c>); empty: all. Each shard must be owned by exactly one
    /// running producer: an instrument is published only by the owner of its shard. A consumer reads these shards (empty: all).
    /// </summary>
    public string Owns { get; set; } = "";

    /// <summary>
    /// Symbols the producer subscribes so their data is published even when no client asks (comma-separated; <c>*</c>:
    /// every instrument of its shards). Whatever the gateway's clients subscribe is published too. Default none.
    /// </summary>
    public string Symbols { get; set; } = "";

    /// <summary>At most this many events per message. Default 256.</summary>
    public int BatchEvents { get; set; } = 256;

    /// <summary>At most this many bytes per message (an event never splits). Default 32,768.</summary>
    public int BatchBytes { get; set; } = 32 * 1024;

    /// <summary>A batch waits at most this long for more events. Default 10 ms.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches held per shard (waiting, in flight or unconfirmed) while the broker is slow or away; beyond it new batches are dropped and counted. Default 4,096.</summary>
    public int OutboxBatches { get; set; } = 4_096;

    /// <summary>Unconfirmed messages in flight per shard (the publisher's confirm window). Default 256.</summary>
    public int MaxUnconfirmed { get; set; } = 256;

    /// <summary>Every shard hears from its producer at least this often. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every instrument's definition, latest tick and health are repeated this often, so a consumer starting within <see cref="StartFrom"/> has them. Default 60 s.</summary>
    public TimeSpan StateInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where the producer keeps its epoch and per-instrument sequence high-water marks, so a restart resumes them
    /// (written every second and at stop). Default none: sequences restart, in a new epoch.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>Stream retention by age (<c>x-max-age</c>). Default <c>1D</c>.</summary>
    public string MaxAge { get; set; } = "1D";

    /// <summary>Stream retention by size (<c>x-max-length-bytes</c>) per shard. Default 2 GB.</summary>
    public long MaxLengthBytes { get; set; } = 2_000_000_000;

    /// <summary>Stream segment size (<c>x-stream-max-segment-size-bytes</c>): retention removes whole segments. Default 64 MB.</summary>
    public long SegmentBytes { get; set; } = 64_000_000;

    /// <summary>
    /// Where a consumer starts reading each shard: <c>first</c>, <c>last</c>, <c>next</c>, an offset (<c>12345</c>) or
    /// an age (<c>10m</c>, <c>1h</c>). Keep it longer than <see cref="StateInterval"/> so every instrument's latest state
    /// is in what is read. Default <c>10m</c>.
    /// </summary>
    public string StartFrom { get; set; } = "10m";

    /// <summary>A consumer takes only these venues (comma-separated; empty: all).</summary>
    public string Venues { get; set; } = "";

    /// <summary>A consumer takes only these channels (<c>tick,book,candle,state</c>; empty: all).</summary>
    public string Channels { get; set; } = "";

    /// <summary>
    /// A consumer closes a bar by the clock this long after its boundary (at least <c>Candles:Grace</c>), so the bar's last
    /// ticks, still on their way from the producer, land in it and the consumer's bar equals the producer's. Raise it when
    /// the bus's delivery latency (status <c>consume.latency</c>) comes near it. Default 2 s.
    /// </summary>
    public TimeSpan CandleGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A producer not heard for this long has its instruments in <c>error</c> at the consumer. Default 5 s.</summary>
    public TimeSpan ProducerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deliveries a consumer holds unacknowledged per shard (stream consumers must set one). Default 2,000.</summary>
    public ushort Prefetch { get; set; } = 2_000;

    /// <summary>How long a consumer reads at start to learn the instruments before serving. Default 5 s.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Between attempts to reach the broker (first connection and recovery). Default 2 s.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The URL with its password replaced by <c>***</c>: the only form that is logged or shown.</summary>
    public string RedactedUrl => Redact(Url);

    public static BusOptions From(IConfiguration configuration)
    {
        var options = new BusOptions();
        configuration.GetSection("Bus").Bind(options);
        return options;
    }

    public static string Redact(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "(none)";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return "(not a URL)";
        }

        string user = uri.UserInfo.Split(':')[0];
        return $"{uri.Scheme}://{(user.Length > 0 ? Uri.UnescapeDataString(user) + ":***@" : "")}{uri.Host}:{(uri.Port > 0 ? uri.Port : 5672)}{uri.AbsolutePath}";
    }

    /// <summary>The shards this process owns (producer) or reads (consumer).</summary>
    public IReadOnlyList<int> OwnedShards()
    {
        if (string.IsNullOrWhiteSpace(Owns))
        {
            return [.. Enumerable.Range(0, Shards)];
        }

        return [.. Owns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out int shard) && shard >= 0 && shard < Shards ? shard
                : throw new FeedConfigurationException($"Bus:Owns '{Owns}': each entry is a shard number from 0 to {Shards - 1}"))
            .Distinct().Order()];
    }

    public string EffectiveGatewayId => string.IsNullOrWhiteSpace(GatewayId)
        ? $"{Environment.MachineName}-{string.Join('.', OwnedShards())}"
        : GatewayId;

    /// <exception cref="FeedConfigurationException">A value out of range or a URL that is not amqp://.</exception>
    public void Validate()
    {
        if (Shards is < 1 or > 1024)
        {
            throw new FeedConfigurationException($"Bus:Shards is 1 to 1024, not {Shards}");
        }

        if (Enabled && (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("amqp" or "amqps")))
        {
            throw new FeedConfigurationException($"Bus:Url is amqp://user:password@host:5672/vhost, not {RedactedUrl}");
        }

        if (BatchEvents < 1 || BatchBytes < 1024 || OutboxBatches < 1 || MaxUnconfirmed < 1 || Prefetch < 1)
        {
            throw new FeedConfigurationException("Bus: BatchEvents, OutboxBatches, MaxUnconfirmed and Prefetch are at least 1, BatchBytes at least 1024");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
        {
            throw new FeedConfigurationException($"Bus:Name is a name of 1 to 200 characters, not '{Name}'");
        }

        if (CandleGrace < TimeSpan.Zero || CandleGrace > TimeSpan.FromMinutes(1))
        {
            throw new FeedConfigurationException($"Bus:CandleGrace is from 00:00:00 to 00:01:00, not {CandleGrace}");
        }

        _ = OwnedShards();
        _ = StartOffset.Parse(StartFrom);
    }
}
