using MarketFeed.Model;

namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// What the emulator sent, per instrument: fingerprints (last price with the cumulative volume, and the last price
/// alone) of its recent packets, recorded before each packet leaves. A tick a client receives must carry a fingerprint
/// its own instrument was sent; one that only another instrument was sent is a price landing on the wrong instrument.
/// Prices overlap between instruments (deep out-of-the-money options all trade near 0.05), so no price band could
/// say that; price and day volume together practically never coincide.
/// </summary>
internal sealed class TickLedger
{
    /// <summary>Fingerprints kept per instrument: at ~100 ticks/s, 10 s of history, far more than any client lags.</summary>
    private const int Depth = 1024;

    /// <summary>No volume on the wire (index packets): the last price alone identifies the tick.</summary>
    public const long NoVolume = -1;

    private readonly Dictionary<string, int> _slots;
    private readonly string[] _symbols;
    private readonly long[][] _withVolume;
    private readonly long[][] _priceOnly;
    private readonly long[] _written;
    private long _total;

    public TickLedger(IEnumerable<string> symbols)
    {
        _symbols = [.. symbols];
        _slots = _symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        _withVolume = [.. _symbols.Select(_ => new long[Depth])];
        _priceOnly = [.. _symbols.Select(_ => new long[Depth])];
        _written = new long[_symbols.Length];
    }

    public enum Verdict
    {
        /// <summary>Its own instrument was sent this tick.</summary>
        Own,

        /// <summary>Only another instrument was sent it: a mixed instrument.</summary>
        Other,

        /// <summary>Nobody was sent it (recently).</summary>
        Unknown,
    }

    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>Packets recorded so far (all instruments).</summary>
    public long Total => Interlocked.Read(ref _total);

    public bool TryGetSlot(string symbol, out int slot) => _slots.TryGetValue(symbol, out slot);

    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> SlotLookup => _slots.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// A fingerprint of what a Kite quote packet carries: the last price in paise (the wire truncates to the segment's
    /// two decimals) and the day volume, or <see cref="NoVolume"/>.
    /// </summary>
    public static long Fingerprint(decimal ltp, long volume)
    {
        long paise = (long)(ltp * 100);
        return unchecked((paise * -7046029254386353131L) ^ (volume * 0x2545F4914F6CDD1DL) ^ (volume >>> 29));
    }

    /// <summary>Called by the emulator's generator, one thread, before the packet is written to the socket.</summary>
    public void Record(int slot, in Tick tick)
    {
        decimal ltp = tick.Ltp.ToDecimal();
        long volume = tick.Volume.HasValue ? (long)tick.Volume.ToDecimal() : 0; // an absent volume goes on the wire as 0
        long at = _written[slot];
        _withVolume[slot][at % Depth] = Fingerprint(ltp, volume);
        _priceOnly[slot][at % Depth] = Fingerprint(ltp, NoVolume);

        // Published after the entry: a reader that races the writer can only miss the newest one, which no client
        // can have received yet.
        Volatile.Write(ref _written[slot], at + 1);
        Interlocked.Increment(ref _total);
    }

    /// <summary>Whose tick a received (price, volume) is; <paramref name="sentTo"/> names the other instrument when it is not its own.</summary>
    public Verdict Check(int slot, long fingerprint, bool withVolume, out string? sentTo)
    {
        sentTo = null;
        if (Holds(slot, fingerprint, withVolume))
        {
            return Verdict.Own;
        }

        for (int other = 0; other < _symbols.Length; other++)
        {
            if (other != slot && Holds(other, fingerprint, withVolume))
            {
                sentTo = _symbols[other];
                return Verdict.Other;
            }
        }

        return Verdict.Unknown;
    }

    /// <summary>Newest first: a client's tick is almost always one of the last few sent.</summary>
    private bool Holds(int slot, long fingerprint, bool withVolume)
    {
        long[] ring = withVolume ? _withVolume[slot] : _priceOnly[slot];
        long written = Volatile.Read(ref _written[slot]);
        for (long i = written - 1; i >= Math.Max(0, written - Depth); i--)
        {
            if (ring[i % Depth] == fingerprint)
            {
                return true;
            }
        }

        return false;
    }
}
