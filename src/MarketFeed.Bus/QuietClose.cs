using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus;

/// <summary>Closing what may already be broken: a channel or connection whose socket is gone throws on close, which is fine here.</summary>
internal static class QuietClose
{
    public static async Task ChannelAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsExpected(e))
        {
        }

        await channel.DisposeAsync().ConfigureAwait(false);
    }

    public static async Task ConnectionAsync(IConnection connection)
    {
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (IsExpected(e))
        {
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static bool IsExpected(Exception e) =>
        e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException or OperationCanceledException;
}
