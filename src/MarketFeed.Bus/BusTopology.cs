using MarketFeed.Bus.Contract;
using RabbitMQ.Client;

namespace MarketFeed.Bus;

/// <summary>Declares what the contract names (idempotent): the topic exchange, one stream per shard, and each stream's binding.</summary>
internal static class BusTopology
{
    public static async Task DeclareAsync(IChannel channel, BusOptions options, IEnumerable<int> shards, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(options.Name, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (int shard in shards)
        {
            string stream = BusContract.StreamName(options.Name, shard);
            var arguments = new Dictionary<string, object?>
            {
                ["x-queue-type"] = "stream",
                ["x-max-age"] = options.MaxAge,
                ["x-max-length-bytes"] = options.MaxLengthBytes,
                ["x-stream-max-segment-size-bytes"] = options.SegmentBytes,
            };
            await channel.QueueDeclareAsync(stream, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(stream, options.Name, BusContract.StreamBinding(shard), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public static ConnectionFactory Factory(BusOptions options, string role) => new()
    {
        Uri = new Uri(options.Url!),
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = options.ReconnectInterval,
        RequestedHeartbeat = TimeSpan.FromSeconds(10),
        ClientProvidedName = $"marketfeed-{role}-{options.EffectiveGatewayId}",
    };
}
