using System.Buffers.Binary;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub at times delivers the same trade frame two or three times in a row (reported on its tracker since 2020).
/// Trades carry no id, and two genuine prints can match in symbol, price, time and size, so single trades cannot be
/// told apart; a whole frame repeated byte for byte within a short window can. This keeps a fingerprint (64-bit hash
/// and length) of the last <see cref="Window"/> trade frames and their receive times; a frame matching one received
/// at most <see cref="MaxAge"/> before is a repeat. Thread-safe (a handover briefly has two connections reading).
/// </summary>
internal sealed class FinnhubDuplicateFilter
{
    /// <summary>Trade frames remembered.</summary>
    public const int Window = 64;

    /// <summary>How long a frame is remembered.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly (ulong Hash, int Length, DateTime At)[] _recent = new (ulong, int, DateTime)[Window];
    private int _next;

    /// <summary>True when <paramref name="frame"/> repeats one seen within the window; otherwise remembers it.</summary>
    public bool IsRepeat(ReadOnlySpan<byte> frame, DateTime receivedUtc)
    {
        ulong hash = Hash(frame);
        lock (_gate)
        {
            foreach ((ulong h, int length, DateTime at) in _recent)
            {
                if (h == hash && length == frame.Length && receivedUtc - at <= MaxAge && at != default)
                {
                    return true;
                }
            }

            _recent[_next] = (hash, frame.Length, receivedUtc);
            _next = (_next + 1) % Window;
            return false;
        }
    }

    /// <summary>A 64-bit hash of the bytes, eight at a time (multiply-rotate, then a final mix).</summary>
    internal static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime1 = 0x9E3779B185EBCA87UL;
        const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
        ulong h = Prime2 ^ (ulong)bytes.Length;
        while (bytes.Length >= 8)
        {
            h = ulong.RotateLeft(h ^ (BinaryPrimitives.ReadUInt64LittleEndian(bytes) * Prime1), 31) * Prime2;
            bytes = bytes[8..];
        }

        foreach (byte b in bytes)
        {
            h = ulong.RotateLeft(h ^ (b * Prime1), 23) * Prime2;
        }

        h ^= h >> 33;
        h *= Prime1;
        h ^= h >> 29;
        return h;
    }
}
