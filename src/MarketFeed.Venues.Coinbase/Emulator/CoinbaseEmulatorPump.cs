using System.Net.WebSockets;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The emulator's loop, every 10 ms: steps the market, sends each connection the messages of its (channel, product)
/// pairs, one a message, each with the connection's next <c>sequence_num</c>, heartbeats once a second to connections
/// that asked for them, and applies the stream faults — <c>silent</c>, <c>malformed</c>, <c>oddtext</c>,
/// <c>oversized</c>, <c>fuzz</c>, <c>seqgap</c>.
/// </summary>
internal sealed class CoinbaseEmulatorPump(CoinbaseEmulatorMarket market, CoinbaseEmulatorStreams streams, CoinbaseEmulatorFaults faults)
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(10);
    private readonly CoinbaseFuzzFrames _fuzz = new(market);
    private long _heartbeats;

    /// <summary>(product, tick) for every trade and ticker sent, per connection: what a client should decode.</summary>
    public event Action<string, Tick>? Sent;

    /// <summary>Every market-data message sent, exactly as sent, per connection.</summary>
    public event Action<CoinbaseStreamEvent, string>? SentFrame;

    public event Action<FuzzedFrame>? Fuzzed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_step);
        long step = 0;
        DateTime nextBeat = DateTime.UtcNow;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            CoinbaseEmulatorConnection[] connections = [.. streams.Connections.Keys.Where(c => !c.Closing)];
            var wanted = new HashSet<(string, string)>(connections.SelectMany(c => c.Wanted));

            // New subscriptions' snapshots show the market before this step; the step's messages follow them.
            var snapshots = connections.ToDictionary(c => c, c => c.TakeSnapshotsDue().Select(d => market.Snapshot(d.Channel, d.Product, now)).OfType<CoinbaseStreamEvent>().ToList());
            List<CoinbaseStreamEvent> events = market.Step(now, wanted, faults);
            bool beat = now >= nextBeat;
            if (beat)
            {
                nextBeat = now - nextBeat > TimeSpan.FromSeconds(2) ? now.AddSeconds(1) : nextBeat.AddSeconds(1);
                _heartbeats++;
            }

            long oversized = faults.Shared.TakeOversizedFrame();
            foreach (CoinbaseEmulatorConnection connection in connections)
            {
                try
                {
                    await ServeAsync(connection, [.. snapshots[connection], .. events], now, step, beat, oversized, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private async Task ServeAsync(CoinbaseEmulatorConnection connection, IReadOnlyList<CoinbaseStreamEvent> events, DateTime now, long step, bool beat, long oversized, CancellationToken cancellationToken)
    {
        if (faults.Shared.Silent)
        {
            return;
        }

        if (oversized > 0)
        {
            await connection.SendLargeAsync(oversized, cancellationToken);
        }

        long gaps = faults.SequenceGaps;
        IReadOnlySet<(string Channel, string Product)> wanted = connection.Wanted;
        foreach (CoinbaseStreamEvent e in events)
        {
            if (wanted.Contains((e.Channel, e.Product)))
            {
                await connection.SendNumberedAsync(sequence =>
                {
                    // Reported before it goes out, so whoever compares finds it when the client has read it.
                    string text = e.Text(sequence);
                    SentFrame?.Invoke(e, text);
                    foreach (Tick tick in e.Sent)
                    {
                        Sent?.Invoke(e.Product, tick);
                    }

                    return text;
                }, gaps, cancellationToken);
            }
        }

        if (beat && connection.Heartbeats)
        {
            long counter = _heartbeats;
            await connection.SendNumberedAsync(sequence => CoinbaseJson.Envelope("heartbeats", now, sequence, CoinbaseJson.Heartbeat(now, counter)), gaps, cancellationToken);
        }

        string? product = wanted.Select(w => w.Product).Where(market.Knows).Order(StringComparer.Ordinal).FirstOrDefault();
        if (product is not null && faults.Shared.Malformed && step % 10 == 0)
        {
            foreach (string text in CoinbaseFaultFrames.Malformed(product, now, connection.LastSequence))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        if (product is not null && faults.Shared.OddText && step % 10 == 5)
        {
            foreach (string text in CoinbaseFaultFrames.Odd(product))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        await SendFuzzedAsync(connection, wanted, now, cancellationToken);
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(CoinbaseEmulatorConnection connection, IReadOnlySet<(string Channel, string Product)> wanted, DateTime now, CancellationToken cancellationToken)
    {
        if (faults.Shared.Fuzz is not { } settings)
        {
            return;
        }

        string[] targets = [.. wanted.Select(w => w.Product).Where(p => market.Knows(p) && settings.IsTarget(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
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
                frame = fuzzer.Next(text => _fuzz.Valid(fuzzer, targets, text, connection.LastSequence, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected products: fuzzing stops, the emulator goes on.
                faults.Shared.Apply("-fuzz");
                return;
            }

            Fuzzed?.Invoke(frame);
            await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken);
        }
    }
}
