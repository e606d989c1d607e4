using System.Net.WebSockets;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The emulator's loop, every 10 ms: steps the market, sends each connection the events of its streams (one frame per
/// event), and applies the stream faults — <c>silent</c>, <c>malformed</c>, <c>oddtext</c>, <c>oversized</c>,
/// <c>fuzz</c>, <c>shutdown</c> — and the connection age limit.
/// </summary>
internal sealed class BinanceEmulatorPump(BinanceEmulatorMarket market, BinanceEmulatorStreams streams, BinanceEmulatorFaults faults, TimeSpan maxConnectionAge)
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(10);
    private readonly BinanceFuzzFrames _fuzz = new(market);

    /// <summary>(symbol, tick) for every trade and bookTicker event sent, per connection.</summary>
    public event Action<string, Tick>? Sent;

    /// <summary>(stream, text) for every event frame sent, per connection, exactly as sent.</summary>
    public event Action<string, string>? SentFrame;

    public event Action<FuzzedFrame>? Fuzzed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_step);
        long step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            BinanceEmulatorConnection[] connections = [.. streams.Connections.Where(c => !c.Closing)];
            var wanted = new HashSet<string>(connections.SelectMany(c => c.Subscribed), StringComparer.Ordinal);
            List<BinanceStreamEvent> events = market.Step(now, wanted, faults);
            long? shutdown = connections.Length > 0 ? faults.TakeShutdown() : null;
            long oversized = faults.Shared.TakeOversizedFrame();
            foreach (BinanceEmulatorConnection connection in connections)
            {
                try
                {
                    await ServeAsync(connection, events, now, step, shutdown, oversized, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private async Task ServeAsync(BinanceEmulatorConnection connection, List<BinanceStreamEvent> events, DateTime now, long step, long? shutdown, long oversized,
        CancellationToken cancellationToken)
    {
        bool silent = faults.Shared.Silent;
        if (shutdown is long seconds)
        {
            connection.CloseAtUtc = now.AddSeconds(seconds);
            if (!silent)
            {
                var notice = new BinanceStreamEvent("!serverShutdown", "", BinanceEventJson.ServerShutdown(now.AddSeconds(faults.Shared.TimeShiftSeconds)));
                await SendAsync(connection, notice, cancellationToken);
            }
        }

        if (connection.CloseAtUtc <= now || now - connection.OpenedUtc >= maxConnectionAge)
        {
            _ = connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutdown");
            return;
        }

        if (silent)
        {
            return;
        }

        if (oversized > 0)
        {
            // Sent in pieces so the emulator itself never holds it: the client must never keep it either.
            await connection.SendLargeTextAsync(oversized, cancellationToken);
        }

        IReadOnlySet<string> subscribed = connection.Subscribed;
        foreach (BinanceStreamEvent e in events)
        {
            if (subscribed.Contains(e.Stream))
            {
                await SendAsync(connection, e, cancellationToken);
            }
        }

        string? symbol = subscribed.Select(s => s[..Math.Max(0, s.IndexOf('@', StringComparison.Ordinal))].ToUpperInvariant()).FirstOrDefault(market.Knows);
        if (symbol is not null && faults.Shared.Malformed && step % 10 == 0)
        {
            foreach (string text in BinanceFaultFrames.Malformed(symbol, connection.Combined, now))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        if (symbol is not null && faults.Shared.OddText && step % 10 == 5)
        {
            foreach (string text in BinanceFaultFrames.Odd(symbol))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        await SendFuzzedAsync(connection, subscribed, now, cancellationToken);
    }

    private async Task SendAsync(BinanceEmulatorConnection connection, BinanceStreamEvent e, CancellationToken cancellationToken)
    {
        // Reported before it goes out, so whoever compares finds it when the client has read it.
        string text = e.Text(connection.Combined, connection.Microseconds);
        SentFrame?.Invoke(e.Stream, text);
        if (e.Tick is { } tick)
        {
            Sent?.Invoke(e.Symbol, tick);
        }

        await connection.SendTextAsync(text, cancellationToken);
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(BinanceEmulatorConnection connection, IReadOnlySet<string> subscribed, DateTime now, CancellationToken cancellationToken)
    {
        if (faults.Shared.Fuzz is not { } settings)
        {
            return;
        }

        string[] targets = [.. subscribed
            .Select(s => s[..Math.Max(0, s.IndexOf('@', StringComparison.Ordinal))].ToUpperInvariant())
            .Where(s => market.Knows(s) && settings.IsTarget(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
        if (targets.Length == 0)
        {
            return;
        }

        FrameFuzzer fuzzer = _fuzz.For(settings);
        for (int i = 0; i < settings.FramesPerStep && (settings.Limit == 0 || fuzzer.Produced < settings.Limit); i++)
        {
            FuzzedFrame frame;
            try
            {
                frame = fuzzer.Next(text => _fuzz.Valid(fuzzer, targets, text, connection.Combined, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected symbols: fuzzing stops, the emulator goes on.
                faults.Shared.Apply("-fuzz");
                return;
            }

            Fuzzed?.Invoke(frame);
            await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken);
        }
    }
}
