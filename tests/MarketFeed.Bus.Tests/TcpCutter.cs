using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MarketFeed.Bus.Tests;

/// <summary>
/// A TCP relay on 127.0.0.1 to the test broker that a test can cut: every connection through it drops at once (as a
/// network blip would), new ones are relayed again. Only the test's own connections go through it.
/// </summary>
internal sealed class TcpCutter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Uri _target;
    private readonly Task _accepting;

    public TcpCutter()
    {
        _target = new Uri(TestBroker.Url);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Cuts { get; private set; }

    /// <summary>The broker URL through this relay.</summary>
    public string Url => new UriBuilder(_target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri.ToString();

    public void Cut()
    {
        Cuts++;
        foreach ((TcpClient client, TcpClient broker) in _pairs)
        {
            client.Client.Close(0);
            broker.Client.Close(0);
            _pairs.TryRemove(client, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            var broker = new TcpClient();
            await broker.ConnectAsync(_target.Host, _target.Port > 0 ? _target.Port : 5672, _stopping.Token);
            _pairs[client] = broker;
            _ = PumpAsync(client.GetStream(), broker.GetStream());
            _ = PumpAsync(broker.GetStream(), client.GetStream());
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Socket.Close(0);
            to.Socket.Close(0);
        }
    }
}
