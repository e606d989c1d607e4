using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox.Proto;
using OptionGreeks = MarketFeed.Model.OptionGreeks;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>The emulator's stream side: every step, an initial_feed for new keys and a live_feed of due updates per connection.</summary>
public sealed partial class UpstoxEmulator
{
    /// <summary>Frames Upstox's protobuf runtime cannot parse: a length past the end, a truncated varint, a group wire type.</summary>
    private static readonly byte[][] s_malformed =
    [
        [0x12, 0x40, 0x0A, 0x02],
        [0x18, 0xFF, 0xFF],
        [0x0B, 0x01, 0x02],
    ];

    private async Task GenerateAsync(CancellationToken cancellationToken)
    {
        var nextDue = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        TimeSpan every = TimeSpan.FromSeconds(1 / Math.Max(0.01, _options.TicksPerInstrumentPerSecond));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(every.TotalMilliseconds / 2, 5, 100)));
        int step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            var due = new Dictionary<string, (Tick Tick, OptionGreeks? Greeks)>(StringComparer.Ordinal);
            foreach (string key in _connections.Keys.SelectMany(c => c.Modes.Keys).Distinct())
            {
                if (Trading(key) && (!nextDue.TryGetValue(key, out DateTime at) || now >= at))
                {
                    (Tick tick, OptionGreeks? greeks) = _market.Next(key, now);
                    Faults.Distort(ref tick);
                    due[key] = (tick, greeks);
                    nextDue[key] = now + every;
                }
            }

            long oversized = Faults.TakeOversizedFrame();
            foreach (UpstoxEmulatorConnection connection in _connections.Keys)
            {
                if (Faults.Silent)
                {
                    continue;
                }

                try
                {
                    if (oversized > 0)
                    {
                        // Zeros, sent in pieces so the emulator itself never holds it: the client must never keep it either.
                        await connection.SendLargeAsync(oversized, cancellationToken);
                    }

                    await SendStepAsync(connection, due, now, step, cancellationToken);
                    await SendFuzzedAsync(connection, now, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    /// <summary>An instrument of a segment reported closed sends nothing, as on Upstox after hours.</summary>
    private bool Trading(string key) =>
        _market.TryGetInstrument(key, out _)
        && (!_segments.TryGetValue(UpstoxSegments.SegmentOf(key), out UpstoxSegmentStatus status) || UpstoxMarketSessions.IsOpen(status));

    private async Task SendStepAsync(UpstoxEmulatorConnection connection, Dictionary<string, (Tick Tick, OptionGreeks? Greeks)> due, DateTime now, int step, CancellationToken cancellationToken)
    {
        FeedResponse initial = UpstoxFrames.Response(initial: true, now);
        while (connection.Fresh.TryDequeue(out string? key))
        {
            if (connection.Modes.TryGetValue(key, out string? mode) && _market.TryGetInstrument(key, out Instrument? instrument))
            {
                (Tick tick, OptionGreeks? greeks) = _market.Latest(key, now);
                initial.Feeds[key] = UpstoxFrames.Feed(tick, greeks, mode, instrument.Kind == InstrumentKind.Index, instrument.TickSize);
                Sent?.Invoke(key, tick, greeks, mode);
            }
        }

        if (initial.Feeds.Count > 0)
        {
            await connection.SendAsync(initial.ToByteArray(), WebSocketMessageType.Binary, cancellationToken);
        }

        FeedResponse live = UpstoxFrames.Response(initial: false, now);
        foreach ((string key, string mode) in connection.Modes)
        {
            if (due.TryGetValue(key, out (Tick Tick, OptionGreeks? Greeks) update) && _market.TryGetInstrument(key, out Instrument? instrument))
            {
                live.Feeds[key] = UpstoxFrames.Feed(update.Tick, update.Greeks, mode, instrument.Kind == InstrumentKind.Index, instrument.TickSize);
                Sent?.Invoke(key, update.Tick, update.Greeks, mode);
            }
        }

        if (Faults.Malformed && step % 5 == 0)
        {
            foreach (byte[] bad in s_malformed)
            {
                await connection.SendAsync(bad, WebSocketMessageType.Binary, cancellationToken);
            }
        }

        if (Faults.OddText && step % 5 == 1)
        {
            foreach (string odd in EmulatorFaults.OddTextFrames)
            {
                await connection.SendAsync(Encoding.UTF8.GetBytes(odd), WebSocketMessageType.Text, cancellationToken);
            }
        }

        if (live.Feeds.Count > 0)
        {
            await connection.SendAsync(live.ToByteArray(), WebSocketMessageType.Binary, cancellationToken);
        }
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(UpstoxEmulatorConnection connection, DateTime now, CancellationToken cancellationToken)
    {
        if (Faults.Fuzz is not { } settings)
        {
            return;
        }

        string[] targets = [.. connection.Modes.Keys.Where(k => settings.IsTarget(k) && _market.TryGetInstrument(k, out _)).Order(StringComparer.Ordinal)];
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
                frame = fuzzer.Next(text => _fuzz.Valid(fuzzer, targets, text, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected instruments: fuzzing stops, the emulator goes on.
                Faults.Apply("-fuzz");
                return;
            }

            if (await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken))
            {
                Fuzzed?.Invoke(frame);
            }
        }
    }
}
