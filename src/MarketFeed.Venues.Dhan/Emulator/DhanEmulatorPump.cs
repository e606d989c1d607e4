using System.Net.WebSockets;
using System.Text;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// The emulator's generator: every step, the due ticks of subscribed instruments go out as one frame of packets per
/// connection (ticker, quote with its OI packet, or full; depth connections get bid and ask packets back to back),
/// and the faults play out (silence, malformed and odd frames, oversized frames, fuzzing, a disconnect code).
/// Dhan sends nothing on a quiet connection, and neither does this.
/// </summary>
internal sealed class DhanEmulatorPump(DhanEmulator emulator)
{
    private readonly Dictionary<long, DateTime> _nextDue = [];
    private uint _sequence;

    private EmulatorFaults Faults => emulator.Faults;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TimeSpan every = TimeSpan.FromSeconds(1 / Math.Max(0.01, TicksPerSecond));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(every.TotalMilliseconds / 2, 5, 100)));
        int step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            Dictionary<long, Tick> ticks = DueTicks(now, every);
            long oversized = Faults.TakeOversizedFrame();
            // A disconnect fault waits for a connection to disconnect.
            int disconnect = emulator.OpenConnections.Any(c => !c.Depth) ? emulator.DhanFaults.TakeDisconnect() : 0;
            foreach (DhanEmulatorConnection connection in emulator.OpenConnections)
            {
                try
                {
                    if (disconnect != 0 && !connection.Depth)
                    {
                        await connection.DisconnectAsync(DhanEncoder.Disconnect(disconnect), cancellationToken);
                        continue;
                    }

                    if (Faults.Silent)
                    {
                        continue;
                    }

                    if (oversized > 0 && !connection.Depth)
                    {
                        // Zeros, sent in pieces so the emulator itself never holds it: the client must never keep it either.
                        await connection.SendLargeAsync(oversized, cancellationToken);
                    }

                    if (connection.Depth)
                    {
                        await SendDepthAsync(connection, ticks, cancellationToken);
                    }
                    else
                    {
                        await SendStepAsync(connection, ticks, step, cancellationToken);
                        await SendFuzzedAsync(connection, now, cancellationToken);
                    }
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private double TicksPerSecond => emulator.TicksPerInstrumentPerSecond;

    private Dictionary<long, Tick> DueTicks(DateTime now, TimeSpan every)
    {
        var ticks = new Dictionary<long, Tick>();
        foreach (long key in emulator.OpenConnections.SelectMany(c => c.Subscribed.Keys.Select(k => k.Key)).Distinct())
        {
            if (emulator.Market.TryGet(key, out DhanEmulatorSecurity? security) && (!_nextDue.TryGetValue(key, out DateTime due) || now >= due))
            {
                Tick tick = emulator.Market.Next(security, now);
                Faults.Distort(ref tick);
                ticks[key] = tick;
                _nextDue[key] = now + every;
            }
        }

        return ticks;
    }

    private async Task SendStepAsync(DhanEmulatorConnection connection, Dictionary<long, Tick> ticks, int step, CancellationToken cancellationToken)
    {
        var packets = new List<byte[]>();
        foreach ((long key, FeedMode mode) in connection.Subscribed.Keys)
        {
            if (ticks.TryGetValue(key, out Tick tick) && emulator.Market.TryGet(key, out DhanEmulatorSecurity? security))
            {
                if (mode == FeedMode.Quote && security.Instrument.IsTradable && tick.Oi.HasValue)
                {
                    packets.Add(DhanEncoder.OpenInterest(security.Segment, security.SecurityId, tick.Oi));
                }

                packets.Add(DhanEncoder.Packet(security.Segment, security.SecurityId, in tick, mode));
                emulator.OnSent(security, in tick, mode);
            }
        }

        if (Faults.Malformed && step % 5 == 0)
        {
            // A ticker packet claiming 20 bytes, a code Dhan never sends, a frame cut inside a full packet, and text (Dhan sends none).
            byte[] wrongLength = new byte[20];
            DhanEncoder.Header(wrongLength, DhanPacket.Ticker, DhanSegment.NseEquity, 2885);
            byte[] unknownCode = new byte[12];
            DhanEncoder.Header(unknownCode, 99, DhanSegment.NseEquity, 2885);
            byte[] cut = new byte[30];
            DhanEncoder.Header(cut, DhanPacket.Full, DhanSegment.NseEquity, 2885);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(cut.AsSpan(1), DhanPacket.FullLength);
            await connection.SendAsync(wrongLength, WebSocketMessageType.Binary, cancellationToken);
            await connection.SendAsync(unknownCode, WebSocketMessageType.Binary, cancellationToken);
            await connection.SendAsync(cut, WebSocketMessageType.Binary, cancellationToken);
            await connection.SendAsync("{not json"u8.ToArray(), WebSocketMessageType.Text, cancellationToken);
        }

        if (Faults.OddText && step % 5 == 1)
        {
            foreach (string odd in EmulatorFaults.OddTextFrames)
            {
                await connection.SendAsync(Encoding.UTF8.GetBytes(odd), WebSocketMessageType.Text, cancellationToken);
            }
        }

        if (packets.Count > 0)
        {
            await connection.SendAsync(DhanEncoder.Frame(packets), WebSocketMessageType.Binary, cancellationToken);
        }
    }

    private async Task SendDepthAsync(DhanEmulatorConnection connection, Dictionary<long, Tick> ticks, CancellationToken cancellationToken)
    {
        var packets = new List<byte[]>();
        foreach ((long key, _) in connection.Subscribed.Keys)
        {
            if (ticks.TryGetValue(key, out Tick tick) && emulator.Market.TryGet(key, out DhanEmulatorSecurity? security) && tick.Depth.BidCount > 0)
            {
                (List<DepthLevel> bids, List<DepthLevel> asks) = DhanDepthEncoder.TwentyLevels(in tick, security.Instrument.TickSize);
                uint sequence = ++_sequence;
                packets.Add(DhanDepthEncoder.Side(DhanDepthPacket.Bid, security.Segment, security.SecurityId, sequence, bids));
                packets.Add(DhanDepthEncoder.Side(DhanDepthPacket.Ask, security.Segment, security.SecurityId, sequence, asks));
            }
        }

        if (packets.Count > 0)
        {
            await connection.SendAsync(DhanEncoder.Frame(packets), WebSocketMessageType.Binary, cancellationToken);
        }
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(DhanEmulatorConnection connection, DateTime now, CancellationToken cancellationToken)
    {
        if (Faults.Fuzz is not { } settings)
        {
            return;
        }

        DhanEmulatorSecurity[] targets = [.. connection.Subscribed.Keys.Select(k => k.Key).Distinct()
            .Select(k => emulator.Market.TryGet(k, out DhanEmulatorSecurity? s) ? s : null)
            .OfType<DhanEmulatorSecurity>()
            .Where(s => settings.IsTarget(s.NativeKey))
            .OrderBy(s => s.Key)];
        if (targets.Length == 0)
        {
            return;
        }

        FrameFuzzer fuzzer = emulator.Fuzz.For(settings);
        for (int i = 0; i < settings.FramesPerStep && (settings.Limit == 0 || fuzzer.Produced < settings.Limit); i++)
        {
            FuzzedFrame frame;
            try
            {
                frame = fuzzer.Next(text => emulator.Fuzz.Valid(fuzzer, targets, text, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected instruments: fuzzing stops, the emulator goes on.
                Faults.Apply("-fuzz");
                return;
            }

            if (await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken))
            {
                emulator.OnFuzzed(frame);
            }
        }
    }
}
