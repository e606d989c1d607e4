using MarketFeed.Bus.Contract;
using RabbitMQ.Client;

namespace MarketFeed.Bus.Tests;

/// <summary>Deletes a test bus's streams and exchange from the broker.</summary>
internal static class BusCleanup
{
    public static async Task DeleteAsync(string bus, int shards)
    {
        IConnection connection = await new ConnectionFactory { Uri = new Uri(TestBroker.Url) }.CreateConnectionAsync();
        await using (connection)
        {
            IChannel channel = await connection.CreateChannelAsync();
            for (int shard = 0; shard < shards; shard++)
            {
                await channel.QueueDeleteAsync(BusContract.StreamName(bus, shard));
            }

            await channel.ExchangeDeleteAsync(bus);
            await channel.CloseAsync();
        }
    }
}
