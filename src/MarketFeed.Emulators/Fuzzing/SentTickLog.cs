using System.Collections.Concurrent;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// The ticks a venue emulator sent for the instruments a fuzz run watches, as the venue's client decodes them, so each
/// delivered tick can be checked against them: every market field equal to one of them (<see cref="Tick.SameMarketDataAs"/>).
/// Safe from any thread.
/// </summary>
public sealed class SentTickLog
{
    private readonly ConcurrentDictionary<(string Key, long Ltp, long Time), ConcurrentQueue<Tick>> _sent = new();

    /// <summary>Records a tick sent for <paramref name="nativeKey"/>, as the client decodes it (its instrument id does not matter).</summary>
    public void Record(string nativeKey, in Tick decoded) =>
        _sent.GetOrAdd((nativeKey, decoded.Ltp.Raw, decoded.ExchangeTime.Ticks), _ => new()).Enqueue(decoded);

    /// <summary>True when <paramref name="delivered"/> equals, field for field, a tick sent for <paramref name="nativeKey"/>.</summary>
    public bool WasSent(string nativeKey, in Tick delivered)
    {
        if (!_sent.TryGetValue((nativeKey, delivered.Ltp.Raw, delivered.ExchangeTime.Ticks), out ConcurrentQueue<Tick>? candidates))
        {
            return false;
        }

        foreach (Tick sent in candidates)
        {
            Tick expected = sent;
            expected.Instrument = delivered.Instrument;
            if (delivered.SameMarketDataAs(in expected))
            {
                return true;
            }
        }

        return false;
    }
}
