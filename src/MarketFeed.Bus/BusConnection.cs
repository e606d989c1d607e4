using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Bus;

/// <summary>
/// One broker connection with the client's automatic recovery, plus what the client does not do: the first connection
/// is retried until it succeeds (one clear log line per distinct failure, never the password), and a connection
/// closed for longer than recovery should take without recovering (a known 7.1.x failure mode) is dropped and rebuilt.
/// </summary>
internal sealed partial class BusConnection : IAsyncDisposable
{
    private readonly BusOptions _options;
    private readonly string _role;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<IConnection, Task>? _configure;
    // One opener at a time: every shard publisher asks for the connection at once when it starts or after a failure, and
    // without this each would build a connection of its own, all but the last left open and forgotten.
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IConnection? _connection;
    private long _closedSince;
    private string? _lastLogged;
    private volatile string? _error;
    private volatile string _state = "connecting";

    public BusConnection(BusOptions options, string role, TimeProvider time, ILogger logger, Func<IConnection, Task>? configure = null)
    {
        _options = options;
        _role = role;
        _time = time;
        _logger = logger;
        _configure = configure;
    }

    /// <summary>connected, connecting or error.</summary>
    public string State => _state;

    public string? Error => _error;

    /// <summary>The name the broker shows for this connection (<c>rabbitmqctl list_connections client_properties</c>).</summary>
    public string ClientName => $"marketfeed-{_role}-{_options.EffectiveGatewayId}";

    /// <summary>An open connection, waiting (and reconnecting) as long as it takes; throws only when cancelled or disposed.</summary>
    public async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        CancellationToken token = linked.Token;
        await _opening.WaitAsync(token).ConfigureAwait(false);
        try
        {
            return await OpenOrWaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task<IConnection> OpenOrWaitAsync(CancellationToken token)
    {
        while (true)
        {
            token.ThrowIfCancellationRequested();
            IConnection? connection = Volatile.Read(ref _connection);
            if (connection is { IsOpen: true })
            {
                _closedSince = 0;
                return connection;
            }

            if (connection is not null)
            {
                // Recovery is under way: wait for it, but not forever.
                if (_closedSince == 0)
                {
                    _closedSince = _time.GetTimestamp();
                }

                if (_time.GetElapsedTime(_closedSince) < (3 * _options.ReconnectInterval) + TimeSpan.FromSeconds(10))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, token).ConfigureAwait(false);
                    continue;
                }

                LogRebuilt(_logger, _role);
                Volatile.Write(ref _connection, null);
                _closedSince = 0;
                await QuietClose.ConnectionAsync(connection).ConfigureAwait(false);
            }

            try
            {
                // A retry after a failure stays "error" (with its reason) until it succeeds.
                if (_error is null)
                {
                    _state = "connecting";
                }

                IConnection created = await BusTopology.Factory(_options, _role).CreateConnectionAsync(token).ConfigureAwait(false);
                created.RecoverySucceededAsync += OnRecoveredAsync;
                created.ConnectionShutdownAsync += OnShutdownAsync;
                if (_configure is not null)
                {
                    await _configure(created).ConfigureAwait(false);
                }

                Volatile.Write(ref _connection, created);
                _state = "connected";
                _error = null;
                _lastLogged = null;
                LogConnected(_logger, _role, _options.RedactedUrl);
                return created;
            }
            catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException or ConnectFailureException or TimeoutException or AuthenticationFailureException)
            {
                Fail(Describe(e));
                await Task.Delay(_options.ReconnectInterval, _time, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records a failure for status (and logs it once per distinct reason).</summary>
    public void Fail(string error)
    {
        _state = "error";
        _error = error;
        if (!string.Equals(Interlocked.Exchange(ref _lastLogged, error), error, StringComparison.Ordinal))
        {
            LogUnreachable(_logger, _role, error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        IConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            await QuietClose.ConnectionAsync(connection).ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>What went wrong, in one line a person can act on (credentials, address, or the broker's own words).</summary>
    internal string Describe(Exception e) => BusDoctor.Describe(_options, e);

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        _state = "connected";
        _error = null;
        _lastLogged = null;
        LogRecovered(_logger, _role);
        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs args)
    {
        if (args.Initiator != ShutdownInitiator.Application)
        {
            Fail($"connection to {_options.RedactedUrl} lost ({args.ReplyCode} {args.ReplyText}); reconnecting");
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "bus {Role}: connected to {Url}")]
    private static partial void LogConnected(ILogger logger, string role, string url);

    [LoggerMessage(Level = LogLevel.Error, Message = "bus {Role}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string role, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "bus {Role}: connection recovered")]
    private static partial void LogRecovered(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus {Role}: the connection did not recover in time; building a new one")]
    private static partial void LogRebuilt(ILogger logger, string role);
}
