using System.Text;

namespace MarketFeed.Bus.Contract;

/// <summary>
/// The names and version of the bus contract (docs/bus.md): one stream per shard, one topic exchange routing each
/// batch to its shard's stream, and the routing keys consumers bind their own queues with.
/// </summary>
public static class BusContract
{
    /// <summary>A consumer reads messages of its own major version only.</summary>
    public const byte Major = 1;

    /// <summary>Messages of any minor version of <see cref="Major"/> are read: fields and kinds a minor adds are skipped by length.</summary>
    public const byte Minor = 0;

    /// <summary>AMQP <c>content-type</c> of a batch.</summary>
    public const string ContentType = "application/x-marketfeed-batch";

    /// <summary>AMQP <c>type</c> of a batch.</summary>
    public const string MessageType = "marketfeed.batch";

    /// <summary>The default bus name: the durable topic exchange every batch is published to, and its streams' prefix.</summary>
    public const string DefaultName = "marketfeed";

    /// <summary>The first two bytes of every batch.</summary>
    public static ReadOnlySpan<byte> Magic => "MF"u8;

    /// <summary>The stream of shard <paramref name="shard"/> of bus <paramref name="bus"/>: <c>marketfeed.s.{shard}</c>.</summary>
    public static string StreamName(string bus, int shard) => $"{bus}.s.{shard}";

    /// <summary>
    /// The exclusive queue whose holder publishes shard <paramref name="shard"/>: <c>marketfeed.owner.{shard}</c>. The broker
    /// lets one connection hold it and deletes it with that connection, so exactly one gateway publishes a shard.
    /// </summary>
    public static string OwnerQueueName(string bus, int shard) => $"{bus}.owner.{shard}";

    /// <summary>Binding of a shard's stream: every batch of that shard, whatever its venue and channel.</summary>
    public static string StreamBinding(int shard) => $"md.*.*.{shard}";

    /// <summary>
    /// A batch's routing key <c>md.{channel}.{venue}.{shard}</c>: every event of one batch is of one channel and venue,
    /// so a queue bound with <c>md.tick.#</c> or <c>md.*.binance.*</c> takes one channel or one venue.
    /// </summary>
    public static string RoutingKey(BusChannel channel, string venue, int shard) =>
        $"md.{ChannelWord(channel)}.{EscapeWord(venue)}.{shard}";

    /// <summary>The routing-key word of a channel: <c>tick</c>, <c>book</c>, <c>candle</c>, <c>state</c>.</summary>
    public static string ChannelWord(BusChannel channel) => channel switch
    {
        BusChannel.Tick => "tick",
        BusChannel.Book => "book",
        BusChannel.Candle => "candle",
        _ => "state",
    };

    /// <summary>The channel an event kind travels on.</summary>
    public static BusChannel ChannelOf(BusEventKind kind) => kind switch
    {
        BusEventKind.Tick => BusChannel.Tick,
        BusEventKind.Book => BusChannel.Book,
        BusEventKind.CandleClosed or BusEventKind.CandleRevised => BusChannel.Candle,
        _ => BusChannel.State,
    };

    /// <summary>
    /// One routing-key word from a name that may hold the key's separators: <c>.</c> becomes <c>~</c>, and <c>~</c>,
    /// <c>*</c>, <c>#</c>, <c>%</c> and anything outside printable ASCII become <c>%XX</c> (UTF-8), so
    /// <c>NYSE:BRK.B</c> is the single word <c>NYSE:BRK~B</c> and no two names share a word.
    /// </summary>
    public static string EscapeWord(string name)
    {
        var word = new StringBuilder(name.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune rune in name.EnumerateRunes())
        {
            if (rune.Value == '.')
            {
                word.Append('~');
            }
            else if (rune.Value is > 0x20 and < 0x7F && rune.Value is not ('~' or '*' or '#' or '%'))
            {
                word.Append((char)rune.Value);
            }
            else
            {
                int length = rune.EncodeToUtf8(utf8);
                foreach (byte b in utf8[..length])
                {
                    word.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return word.ToString();
    }

    /// <summary>
    /// The shard of an instrument: FNV-1a (32-bit) of its canonical symbol in upper-case UTF-8, modulo
    /// <paramref name="shards"/>. Stable across processes, machines and versions (docs/bus.md fixes it).
    /// </summary>
    public static int ShardOf(string symbol, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(symbol.ToUpperInvariant()))
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash % (uint)shards);
    }
}
