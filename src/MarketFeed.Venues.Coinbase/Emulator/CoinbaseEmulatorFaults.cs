using System.Collections.Concurrent;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The faults of a Coinbase emulator, from one spec string: the shared <see cref="EmulatorFaults"/> (applied in
/// Coinbase's format) and two that are Coinbase's own — <c>seqgap</c> (every open connection skips one
/// <c>sequence_num</c>, once: a lost message) and <c>reject=PRODUCT</c> (subscribing that product is refused with an
/// error message naming it; <c>-reject</c> lifts all). An unknown name fails with both lists.
/// </summary>
internal sealed class CoinbaseEmulatorFaults(EmulatorFaults shared, IReadOnlyList<string> products)
{
    public const string Names = "seqgap, reject=PRODUCT";

    private readonly ConcurrentDictionary<string, byte> _rejected = new(StringComparer.Ordinal);
    private long _seqGaps;

    public EmulatorFaults Shared { get; } = shared;

    /// <summary>Bumped by each <c>seqgap</c>: a connection that has not yet skipped for this count skips one number.</summary>
    public long SequenceGaps => Interlocked.Read(ref _seqGaps);

    public bool Rejects(string product) => !_rejected.IsEmpty && _rejected.ContainsKey(product);

    /// <summary>Applies a spec of shared and Coinbase faults (see the class summary); the Coinbase ones only when the whole spec is valid.</summary>
    /// <exception cref="ArgumentException">An unknown fault or product; the message lists the valid ones.</exception>
    public void Apply(string spec)
    {
        var own = new List<Action>();
        var rest = new List<string>();
        foreach (string raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !raw.StartsWith('-');
            string[] parts = raw.TrimStart('-').Split('=', 2);
            switch (parts[0].ToLowerInvariant())
            {
                case "seqgap":
                    if (on)
                    {
                        own.Add(() => Interlocked.Increment(ref _seqGaps));
                    }

                    break;
                case "reject":
                    if (!on)
                    {
                        own.Add(_rejected.Clear);
                        break;
                    }

                    string product = parts.Length == 2 ? parts[1].ToUpperInvariant() : "";
                    if (!products.Contains(product, StringComparer.Ordinal))
                    {
                        throw new ArgumentException($"fault 'reject' needs one of the emulator's products after '=' ({string.Join(", ", products)}), not '{product}'");
                    }

                    own.Add(() => _rejected[product] = 0);
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
                throw new ArgumentException($"{e.Message}; Coinbase also has {Names}", e);
            }
        }

        own.ForEach(action => action());
    }

    public override string ToString() =>
        $"{Shared}, seqgaps={SequenceGaps}, reject={(_rejected.IsEmpty ? "none" : string.Join('+', _rejected.Keys.Order(StringComparer.Ordinal)))}";
}
