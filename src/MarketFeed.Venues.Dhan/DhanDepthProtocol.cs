using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's 20-level depth feed for its own <see cref="FeedSession"/>: <c>?token=&amp;clientId=&amp;authType=2</c> on
/// <see cref="DhanOptions.DepthUrl"/>, request code 23 for full-mode NSE_EQ and NSE_FNO instruments (the only
/// segments Dhan serves), 24 to unsubscribe (and for an instrument whose mode dropped below full), binary frames of
/// bid and ask packets merged into whole-book snapshots for the order book. Limits: 50 instruments per connection
/// (all in one message), 5 connections (the depth feed's own pool).
/// </summary>
internal sealed class DhanDepthProtocol(Func<DhanOptions> options, DhanInstrumentMaster master, FeedHealth health) : IStreamProtocol
{
    private readonly HashSet<InstrumentId> _subscribed = [];

    public ShardingLimits Limits { get; } = new(InstrumentsPerConnection: 50, Connections: 5, InstrumentsPerMessage: 50);

    public DhanDepthSides Sides { get; } = new();

    /// <summary>Instruments of the segments the depth feed serves (the session's share; only full mode is subscribed).</summary>
    public bool Wants(InstrumentId instrument) => master.TryGetSecurity(instrument, out byte segment, out _) && DhanSegment.HasDepth20(segment);

    public ValueTask<StreamEndpoint> PrepareAsync(int connection, CancellationToken cancellationToken) => ValueTask.FromResult(new StreamEndpoint(BuildUri()));

    public Uri BuildUri()
    {
        DhanOptions current = options();
        (string clientId, string token) = current.RequireCredentials();
        return DhanUrls.Socket(current.DepthUrl, "Dhan:DepthUrl", $"token={Uri.EscapeDataString(token)}&clientId={Uri.EscapeDataString(clientId)}&authType=2");
    }

    public IEnumerable<ControlMessage> Subscribe(IReadOnlyList<DesiredSubscription> batch)
    {
        var subscribe = new List<(byte, int)>();
        var unsubscribe = new List<(byte, int)>();
        lock (_subscribed)
        {
            foreach (DesiredSubscription desired in batch)
            {
                if (!master.TryGetSecurity(desired.Instrument, out byte segment, out int securityId) || !DhanSegment.HasDepth20(segment))
                {
                    continue;
                }

                if (desired.Mode == FeedMode.Full)
                {
                    _subscribed.Add(desired.Instrument);
                    subscribe.Add((segment, securityId));
                }
                else if (_subscribed.Remove(desired.Instrument))
                {
                    Sides.Forget(desired.Instrument);
                    unsubscribe.Add((segment, securityId));
                }
            }
        }

        var messages = new List<ControlMessage>(2);
        if (unsubscribe.Count > 0)
        {
            messages.Add(DhanSubscriptionJson.Request(DhanRequestCode.UnsubscribeDepth, unsubscribe));
        }

        if (subscribe.Count > 0)
        {
            messages.Add(DhanSubscriptionJson.Request(DhanRequestCode.SubscribeDepth, subscribe));
        }

        return messages;
    }

    public IEnumerable<ControlMessage> Unsubscribe(IReadOnlyList<InstrumentId> batch)
    {
        var unsubscribe = new List<(byte, int)>();
        lock (_subscribed)
        {
            foreach (InstrumentId instrument in batch)
            {
                if (_subscribed.Remove(instrument) && master.TryGetSecurity(instrument, out byte segment, out int securityId))
                {
                    Sides.Forget(instrument);
                    unsubscribe.Add((segment, securityId));
                }
            }
        }

        return unsubscribe.Count == 0 ? [] : [DhanSubscriptionJson.Request(DhanRequestCode.UnsubscribeDepth, unsubscribe)];
    }

    public FrameOutcome Decode(in StreamFrame frame, StreamEvents events)
    {
        if (frame.IsText)
        {
            return FrameOutcome.Malformed;
        }

        DhanDepthDecoder.Result result = DhanDepthDecoder.DecodeFrame(frame.Payload, master.Securities, Sides, frame.ReceivedUtc, events.Books, health.CountUnknownInstrument);
        if (result.Disconnect is { } reason)
        {
            return DhanDisconnectReason.Outcome(reason, options().TooManyConnectionsBackoff);
        }

        return result.WellFormed ? FrameOutcome.Ok : FrameOutcome.Malformed;
    }
}
