using System.Collections.Concurrent;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// The faults of a Kraken emulator, from one spec string: the shared <see cref="EmulatorFaults"/> (applied in Kraken's
/// format) and the one only Kraken has — <c>badchecksum</c>: the next book update of every pair, on every connection
/// that has its book, carries a wrong checksum (once; the levels are right). An unknown name fails with both lists.
/// </summary>
internal sealed class KrakenEmulatorFaults(EmulatorFaults shared, IReadOnlyList<string> symbols)
{
    public const string Names = "badchecksum";

    private readonly ConcurrentDictionary<string, byte> _badChecksums = new(StringComparer.Ordinal);
    private long _badChecksumsSent;

    public EmulatorFaults Shared { get; } = shared;

    /// <summary>Book updates sent with a wrong checksum.</summary>
    public long BadChecksumsSent => Interlocked.Read(ref _badChecksumsSent);

    /// <summary>True once per pair after <c>badchecksum</c>: its next book update gets a wrong checksum.</summary>
    public bool TakeBadChecksum(string symbol)
    {
        if (_badChecksums.IsEmpty || !_badChecksums.TryRemove(symbol, out _))
        {
            return false;
        }

        Interlocked.Increment(ref _badChecksumsSent);
        return true;
    }

    /// <summary>Applies a spec of shared and Kraken faults; the Kraken one only when the whole spec is valid.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number; the message lists the valid ones.</exception>
    public void Apply(string spec)
    {
        var own = new List<Action>();
        var rest = new List<string>();
        foreach (string raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !raw.StartsWith('-');
            switch (raw.TrimStart('-').ToLowerInvariant())
            {
                case "badchecksum":
                    own.Add(on ? () => { foreach (string symbol in symbols) { _badChecksums[symbol] = 0; } } : _badChecksums.Clear);
                    break;
                default:
                    rest.Add(raw);
                    break;
            }
        }

        if (rest.Count > 0)
        {
            try
            {
                Shared.Apply(string.Join(',', rest));
            }
            catch (ArgumentException e) when (e.Message.StartsWith("unknown fault", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{e.Message}; Kraken also has {Names}", e);
            }
        }

        own.ForEach(action => action());
    }

    public override string ToString() => $"{Shared}, badchecksum={(_badChecksums.IsEmpty ? "off" : "pending")}";
}
