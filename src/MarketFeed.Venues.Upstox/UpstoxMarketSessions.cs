using System.Collections.Concurrent;
using MarketFeed.Instruments;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Per-segment market status from the <c>market_info</c> message Upstox sends first on every connection. Normal and
/// closing sessions count as open; pre-open and the closes as closed, so a quiet instrument of a closed segment shows
/// <c>closed</c>, not <c>stale</c>. A segment never reported leaves the decision to the exchange calendar.
/// </summary>
public sealed class UpstoxMarketSessions
{
    private readonly ConcurrentDictionary<string, UpstoxSegmentStatus> _status = new(StringComparer.Ordinal);

    /// <summary>A segment's status changed (segment, new status): raised once per change.</summary>
    public event Action<string, UpstoxSegmentStatus>? Changed;

    public IReadOnlyDictionary<string, UpstoxSegmentStatus> Current => new SortedDictionary<string, UpstoxSegmentStatus>(_status, StringComparer.Ordinal);

    public static bool IsOpen(UpstoxSegmentStatus status) => status is UpstoxSegmentStatus.NormalOpen or UpstoxSegmentStatus.ClosingStart;

    public static string Name(UpstoxSegmentStatus status) => status switch
    {
        UpstoxSegmentStatus.PreOpenStart or UpstoxSegmentStatus.PreOpenEnd => "pre-open",
        UpstoxSegmentStatus.NormalOpen => "open",
        UpstoxSegmentStatus.ClosingStart => "closing",
        _ => "closed",
    };

    public void Set(string segment, UpstoxSegmentStatus status)
    {
        UpstoxSegmentStatus? previous = _status.TryGetValue(segment, out UpstoxSegmentStatus old) ? old : null;
        _status[segment] = status;
        if (previous != status)
        {
            Changed?.Invoke(segment, status);
        }
    }

    /// <summary>Whether the instrument's segment is open, by the venue's word; null when the venue has not said.</summary>
    public bool? IsSessionOpen(Instrument instrument) =>
        _status.TryGetValue(UpstoxSegments.SegmentOf(instrument.NativeKey), out UpstoxSegmentStatus status) ? IsOpen(status) : null;
}
