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
        var chain = new List<Exception>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            chain.Add(inner);
        }

        string url = options.RedactedUrl;
        if (chain.OfType<AuthenticationFailureException>().Any()
            || chain.OfType<OperationInterruptedException>().Any(o => o.ShutdownReason?.ReplyCode == 403))
        {
            return $"the broker at {url} refused the user name or password (ACCESS_REFUSED)";
        }

        if (chain.OfType<OperationInterruptedException>().FirstOrDefault(o => o.ShutdownReason?.ReplyCode == 530) is { } vhost)
        {
            return $"the broker at {url} refused access to the virtual host ({vhost.ShutdownReason!.ReplyText})";
        }

        if (chain.OfType<System.Net.Sockets.SocketException>().FirstOrDefault() is { } socket)
        {
            return $"cannot reach the broker at {url}: {socket.SocketErrorCode}";
        }

        return e is OperationCanceledException
            ? $"the broker at {url} did not answer within 10 s"
            : $"cannot connect to the broker at {url}: {chain[^1].Message.Split('\n')[0]}";
    }
}
