using MarketFeed.Bus.Contract;
using MarketFeed.Feeds;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus;

/// <summary><c>marketfeed doctor</c> for the bus: the broker answers with these credentials, and which shard streams exist.</summary>
public static class BusDoctor
{
    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(BusOptions options, CancellationToken cancellationToken)
    {
        const string Name = "bus";
        if (!options.Enabled)
        {
            return [];
        }

        try
        {
            options.Validate();
        }
        catch (FeedConfigurationException e)
        {
            return [DoctorCheck.Fail(Name, e.Message)];
        }

        ConnectionFactory factory = BusTopology.Factory(options, "doctor");
        factory.AutomaticRecoveryEnabled = false;
        var checks = new List<DoctorCheck>();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await using IConnection connection = await factory.CreateConnectionAsync(timeout.Token).ConfigureAwait(false);
            checks.Add(DoctorCheck.Pass(Name, $"broker at {options.RedactedUrl} accepts the credentials (RabbitMQ {Version(connection)})"));
            var missing = new List<string>();
            foreach (int shard in options.OwnedShards())
            {
                await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
                try
                {
                    await channel.QueueDeclarePassiveAsync(BusContract.StreamName(options.Name, shard), timeout.Token).ConfigureAwait(false);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    missing.Add(BusContract.StreamName(options.Name, shard));
                }
            }

            checks.Add(missing.Count == 0
                ? DoctorCheck.Pass(Name, $"streams {options.Name}.s.* exist for shards {string.Join(',', options.OwnedShards())}")
                : DoctorCheck.Pass(Name, $"not declared yet (a producer declares them when it starts): {string.Join(", ", missing)}"));
            await connection.CloseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or OperationCanceledException or AuthenticationFailureException)
        {
            checks.Add(DoctorCheck.Fail(Name, Describe(options, e) + " — check Bus:Url (MARKETFEED_Bus__Url) and that RabbitMQ runs"));
        }

        return checks;
    }

    private static string Version(IConnection connection) =>
        connection.ServerProperties is { } properties && properties.TryGetValue("version", out object? version)
            ? version is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : version?.ToString() ?? "?"
            : "?";

    internal static string Describe(BusOptions options, Exception e)
    {
        Exception inner = e;
        while (inner.InnerException is not null && inner is BrokerUnreachableException or AggregateException)
        {
            inner = inner.InnerException;
        }

        return inner switch
        {
            AuthenticationFailureException => $"the broker at {options.RedactedUrl} refused the user name or password (ACCESS_REFUSED)",
            OperationInterruptedException { ShutdownReason: { } reason } when reason.ReplyCode == 530 => $"the broker at {options.RedactedUrl} refused access to the virtual host ({reason.ReplyText})",
            OperationCanceledException => $"the broker at {options.RedactedUrl} did not answer within 10 s",
            System.Net.Sockets.SocketException socket => $"cannot reach the broker at {options.RedactedUrl}: {socket.SocketErrorCode}",
            _ => $"cannot connect to the broker at {options.RedactedUrl}: {inner.Message.Split('\n')[0]}",
        };
    }
}
