using System.Net;
using System.Net.Sockets;

namespace MarketFeed.Bus.Tests;

/// <summary>
/// A TCP relay between a client and the broker on 127.0.0.1 (ephemeral port), which a test can <see cref="Cut"/>:
/// every relayed connection is reset and no new one is accepted — from the broker's side, the client's process is gone.
/// </summary>
internal sealed class BrokerLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _broker;
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _cut = new();
    private readonly Task _accepting;

    public BrokerLink(string brokerUrl)
    {
        _broker = new Uri(brokerUrl);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The broker URL, through this link.</summary>
    public string Url => new UriBuilder(_broker) { Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri.ToString();

    public void Cut()
    {
        _cut.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }

            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_cut.IsCancellationRequested)
        {
            Cut();
        }

        await _accepting;
        _cut.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_cut.Token);
                var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await broker.ConnectAsync(_broker.Host, _broker.Port > 0 ? _broker.Port : 5672, _cut.Token);
                lock (_sockets)
                {
                    if (_cut.IsCancellationRequested)
                    {
                        client.Close();
                        broker.Close();
                        return;
                    }

                    _sockets.Add(client);
                    _sockets.Add(broker);
                }

                _ = Task.Run(() => PumpAsync(client, broker));
                _ = Task.Run(() => PumpAsync(broker, client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _cut.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _cut.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
