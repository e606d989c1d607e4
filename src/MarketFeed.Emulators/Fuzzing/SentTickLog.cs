using System.Collections.Concurrent;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// The ticks a venue emulator sent for the instruments a fuzz run watches, as the venue's client decodes them, so each
/// delivered tick can be checked against them: every market field equal to one of them (<see cref="Tick.SameMarketDataAs"/>),
/// or, with a <c>compared</c> projection, every field the projection keeps. Safe from any thread.
/// </summary>
/// <param name="compared">
/// What of a tick is compared, by native key: applied alike to the ticks recorded and to those delivered. Null compares
/// whole ticks.
/// </param>
public sealed class SentTickLog(Func<string, Tick, Tick>? compared = null)
{
    private readonly ConcurrentDictionary<(string Key, long Ltp, long Time), ConcurrentQueue<Tick>> _sent = new();

    /// <summary>Records a tick sent for <paramref name="nativeKey"/>, as the client decodes it (its instrument id does not matter).</summary>
    public void Record(string nativeKey, in Tick decoded)
    {
        Tick kept = compared is null ? decoded : compared(nativeKey, decoded);
        _sent.GetOrAdd((nativeKey, kept.Ltp.Raw, kept.ExchangeTime.Ticks), _ => new()).Enqueue(kept);
    }

    /// <summary>True when <paramref name="delivered"/> equals, field for field, a tick sent for <paramref name="nativeKey"/>.</summary>
    public bool WasSent(string nativeKey, in Tick delivered)
    {
        Tick actual = compared is null ? delivered : compared(nativeKey, delivered);
        if (!_sent.TryGetValue((nativeKey, actual.Ltp.Raw, actual.ExchangeTime.Ticks), out ConcurrentQueue<Tick>? candidates))
        {
            return false;
        }

        foreach (Tick sent in candidates)
        {
            Tick expected = sent;
            expected.Instrument = actual.Instrument;
            if (actual.SameMarketDataAs(in expected))
            {
                return true;
            }
        }

        return false;
    }
}
