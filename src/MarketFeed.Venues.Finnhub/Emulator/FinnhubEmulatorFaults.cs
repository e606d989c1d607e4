using System.Globalization;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// The faults of a Finnhub emulator, from one spec string: the shared <see cref="EmulatorFaults"/> (applied in
/// Finnhub's format) and two that are Finnhub's own — <c>duptrades[=N]</c> (every trade frame is sent N times in a
/// row, 3 by default, as Finnhub has been seen to) and <c>toomanysymbols[=N]</c> (the symbol cap drops to N, 1 by
/// default: the next subscription past it is answered <c>Subscribing to too many symbols</c>). An unknown name fails
/// with both lists.
/// </summary>
internal sealed class FinnhubEmulatorFaults(EmulatorFaults shared)
{
    public const string Names = "duptrades[=N], toomanysymbols[=N]";

    private int _copies = 1;
    private int _symbolCap = -1;

    public EmulatorFaults Shared { get; } = shared;

    /// <summary>How many times each trade frame goes out (1 = no duplicates).</summary>
    public int TradeCopies => Volatile.Read(ref _copies);

    /// <summary>The lowered symbol cap, or -1 when the configured cap holds.</summary>
    public int SymbolCap => Volatile.Read(ref _symbolCap);

    /// <summary>Applies a spec of shared and Finnhub faults; the Finnhub ones only when the whole spec is valid.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number; the message lists the valid ones.</exception>
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
                case "duptrades":
                    int copies = on ? (int)Math.Clamp(Number(parts, 3), 2, 10) : 1;
                    own.Add(() => Volatile.Write(ref _copies, copies));
                    break;
                case "toomanysymbols":
                    int cap = on ? (int)Math.Clamp(Number(parts, 1), 0, 10_000) : -1;
                    own.Add(() => Volatile.Write(ref _symbolCap, cap));
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
                throw new ArgumentException($"{e.Message}; Finnhub also has {Names}", e);
            }
        }

        own.ForEach(action => action());
    }

    /// <summary>The cap in force: the lowered one while <c>toomanysymbols</c> is on, else <paramref name="configured"/>.</summary>
    public int CapOr(int configured) => SymbolCap >= 0 ? SymbolCap : configured;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Shared}, duptrades={(TradeCopies > 1 ? TradeCopies.ToString(CultureInfo.InvariantCulture) : "off")}, toomanysymbols={(SymbolCap >= 0 ? SymbolCap.ToString(CultureInfo.InvariantCulture) : "off")}");

    private static long Number(string[] parts, long fallback) =>
        parts.Length < 2 ? fallback
        : long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
        : throw new ArgumentException($"fault '{parts[0]}' needs a whole number after '=', not '{parts[1]}'");
}
