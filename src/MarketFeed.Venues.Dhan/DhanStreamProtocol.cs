using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's main feed for the shared <see cref="FeedSession"/>: <c>?version=2&amp;token=&amp;clientId=&amp;authType=2</c>
/// on the URL, JSON subscribe requests per mode (ticker 15, quote 17, full 21; unsubscribe = code + 1, really sent,
/// and sent for the old mode when a mode changes), binary frames through <see cref="DhanDecoder"/>, and the disconnect
/// packet's reason codes as typed outcomes (<see cref="DhanDisconnectReason"/>). Limits: 5,000 instruments per
/// connection, 5 connections, 100 instruments per message. After code 805 no connection is opened for
/// <see cref="DhanOptions.TooManyConnectionsBackoff"/>, whatever the session's backoff says.
/// </summary>
internal sealed class DhanStreamProtocol(Func<DhanOptions> options, DhanInstrumentMaster master, FeedHealth health, TimeProvider time) : IStreamProtocol
{
    private readonly Dictionary<InstrumentId, FeedMode> _modes = [];
    private (byte Segment, int SecurityId)? _probe;
    private long _holdUntilTicks;
    private long _disconnects;

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: 5000, Connections: 5, InstrumentsPerMessage: 100);

    /// <summary>Disconnect packets received (any reason).</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>When the last 805 lifts (no connection is opened before); null when none is pending.</summary>
    public DateTime? HeldUntil => Interlocked.Read(ref _holdUntilTicks) is var ticks and > 0 && ticks > time.GetUtcNow().UtcTicks ? new DateTime(ticks, DateTimeKind.Utc) : null;

    public async ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken)
    {
        // A timer may fire a little before the wall clock reaches the hold's end: wait until it has really passed.
        while (HeldUntil is { } until)
        {
            TimeSpan left = until - time.GetUtcNow().UtcDateTime;
            await Task.Delay(left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }

        return new StreamEndpoint(BuildStreamUri());
    }

    /// <summary>The feed URL with the current credentials in its query.</summary>
    public Uri BuildStreamUri()
    {
        DhanOptions current = options();
        (string clientId, string token) = current.RequireCredentials();
        return DhanUrls.Socket(current.StreamUrl, "Dhan:StreamUrl", $"version=2&token={Uri.EscapeDataString(token)}&clientId={Uri.EscapeDataString(clientId)}&authType=2");
    }

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var subscribe = new Dictionary<FeedMode, List<(byte, int)>>();
        var unsubscribe = new Dictionary<FeedMode, List<(byte, int)>>();
        lock (_modes)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetSecurity(desired.Instrument, out byte segment, out int securityId))
                {
                    continue;
                }

                if (_modes.TryGetValue(desired.Instrument, out FeedMode before) && before != desired.Mode)
                {
                    Add(unsubscribe, before, (segment, securityId));
                }

                _modes[desired.Instrument] = desired.Mode;
                Add(subscribe, desired.Mode, (segment, securityId));
            }
        }

        var messages = new List<ControlMessage>(2);
        messages.AddRange(unsubscribe.Select(u => DhanSubscriptionJson.Request(DhanRequestCode.Unsubscribe(u.Key), u.Value)));
        messages.AddRange(subscribe.Select(s => DhanSubscriptionJson.Request(DhanRequestCode.Subscribe(s.Key), s.Value)));
        return messages;
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var unsubscribe = new Dictionary<FeedMode, List<(byte, int)>>();
        lock (_modes)
        {
            foreach (InstrumentId instrument in batch)
            {
                if (master.TryGetSecurity(instrument, out byte segment, out int securityId))
                {
                    Add(unsubscribe, _modes.Remove(instrument, out FeedMode held) ? held : FeedMode.Full, (segment, securityId));
                }
            }
        }

        return [.. unsubscribe.Select(u => DhanSubscriptionJson.Request(DhanRequestCode.Unsubscribe(u.Key), u.Value))];
    }

    /// <summary>A ticker subscription of <see cref="DhanOptions.ProbeSecurity"/>: Dhan answers it (previous close, then ticks).</summary>
    public ControlMessage? IdleProbe() => DhanSubscriptionJson.Request(DhanRequestCode.SubscribeTicker, [_probe ??= options().Probe()]);

    /// <summary>Dhan's main feed sends binary only: a text frame is malformed.</summary>
    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events) =>
        frame.IsText ? FrameOutcome.Malformed : DecodeBinary(frame.Payload, frame.ReceivedUtc, events.Ticks);

    public FrameOutcome DecodeBinary(ReadOnlySpan<byte> frame, DateTime receivedUtc, List<Tick> ticks)
    {
        (byte probeSegment, int probeId) = _probe ??= options().Probe();
        DhanSecurityMap map = master.Securities;
        InstrumentId? probe = null;
        FeedMode? probeWanted = null;
        if (map.TryGet(probeSegment, probeId, out DhanSecurity probed))
        {
            probe = probed.Instrument;
            lock (_modes)
            {
                probeWanted = _modes.TryGetValue(probed.Instrument, out FeedMode wanted) ? wanted : null;
            }
        }

        var collector = new Collector(ticks, health, map, probe, probeWanted);
        DhanFrameStats stats = DhanDecoder.DecodeFrame(frame, map, receivedUtc, ref collector);
        if (collector.Disconnect is { } reason)
        {
            Interlocked.Increment(ref _disconnects);
            DhanOptions current = options();
            if (reason == DhanDisconnectReason.TooManyConnections)
            {
                Interlocked.Exchange(ref _holdUntilTicks, (time.GetUtcNow().UtcDateTime + current.TooManyConnectionsBackoff).Ticks);
            }

            return DhanDisconnectReason.Outcome(reason, current.TooManyConnectionsBackoff);
        }

        return stats.WellFormed ? FrameOutcome.Ok : FrameOutcome.Malformed;
    }

    public static string ModeName(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => "ticker",
        FeedMode.Quote => "quote",
        _ => "full",
    };

    private static void Add(Dictionary<FeedMode, List<(byte, int)>> byMode, FeedMode mode, (byte, int) security)
    {
        if (!byMode.TryGetValue(mode, out List<(byte, int)>? list))
        {
            byMode[mode] = list = [];
        }

        list.Add(security);
    }

    private struct Collector(List<Tick> ticks, FeedHealth health, DhanSecurityMap map, InstrumentId? probe, FeedMode? probeWanted) : IDhanTickHandler
    {
        public int? Disconnect;

        public readonly void OnTick(in Tick tick)
        {
            // The idle probe's ticker packets keep the connection alive; nobody asked for them, unless someone wants
            // that very instrument in ticker mode (packets of the mode someone asked for are kept).
            if (tick.Instrument != probe || tick.Mode == probeWanted)
            {
                ticks.Add(tick);
            }
        }

        public readonly void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi)
        {
            map.SetPrevClose(security.Slot, close);
            map.SetPreviousOpenInterest(security.Slot, previousOi);
        }

        public readonly void OnOpenInterest(in DhanSecurity security, Quantity oi) => map.SetOpenInterest(security.Slot, oi);

        public readonly void OnUnknownSecurity(byte segment, int securityId) => health.CountUnknownInstrument();

        public void OnDisconnect(int reason) => Disconnect = reason;
    }
}
