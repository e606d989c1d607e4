using MarketFeed.Bus.Contract;
using RabbitMQ.Client;

namespace MarketFeed.Bus.Tests;

/// <summary>Publishes hand-made messages to a test bus with a bare client: the bad input a real producer never sends.</summary>
internal sealed class RawBus : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly BusOptions _options;

    private RawBus(BusOptions options, IConnection connection, IChannel channel)
    {
        _options = options;
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawBus> OpenAsync(BusOptions options)
    {
        IConnection connection = await new ConnectionFactory { Uri = new Uri(TestBroker.Url) }.CreateConnectionAsync();
        IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await BusTopology.DeclareAsync(channel, options, options.OwnedShards(), CancellationToken.None);
        return new RawBus(options, connection, channel);
    }

    public async Task PublishAsync(byte[] message, int shard = 0) =>
        await _channel.BasicPublishAsync(_options.Name, BusContract.RoutingKey(BusChannel.Tick, "sim", shard), mandatory: true, new BasicProperties(), message);

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        await _connection.DisposeAsync();
    }
}
