using System.Collections.Concurrent;
using System.Globalization;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The faults of a Binance emulator, from one spec string: the shared <see cref="EmulatorFaults"/> (applied in
/// Binance's format) and three that only Binance has — <c>depthgap</c> (the next diff of every depth stream of every
/// symbol is lost, once), <c>shutdown=SECONDS</c> (every connection gets <c>serverShutdown</c> and is closed that many
/// seconds later; waits for a connection when there is none) and <c>ban[=SECONDS]</c> (REST answers 418 that long).
/// An unknown name fails with both lists.
/// </summary>
internal sealed class BinanceEmulatorFaults(EmulatorFaults shared, BinanceRequestWeight weight, TimeSpan defaultBan, IReadOnlyList<string> symbols)
{
    public const string Names = "depthgap, shutdown=SECONDS, ban[=SECONDS]";
    private const long DefaultShutdownSeconds = 5;

    private readonly ConcurrentDictionary<(string Symbol, bool Fast), byte> _depthGaps = new();
    private long _shutdownSeconds = -1;

    public EmulatorFaults Shared { get; } = shared;

    /// <summary>True once per symbol and depth stream (100 ms or 1000 ms) after <c>depthgap</c>: that stream's next diff is dropped.</summary>
    public bool TakeDepthGap(string symbol, bool fast) => _depthGaps.TryRemove((symbol, fast), out _);

    /// <summary>The pending <c>shutdown</c>'s delay in seconds, taken; null when none is pending.</summary>
    public long? TakeShutdown()
    {
        long seconds = Interlocked.Exchange(ref _shutdownSeconds, -1);
        return seconds < 0 ? null : seconds;
    }

    /// <summary>Applies a spec of shared and Binance faults (see the class summary); the Binance ones only when the whole spec is valid.</summary>
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
                case "depthgap":
                    own.Add(on ? AddDepthGaps : _depthGaps.Clear);
                    break;
                case "shutdown":
                    long seconds = on ? Number(parts, DefaultShutdownSeconds) : -1;
                    own.Add(() => Interlocked.Exchange(ref _shutdownSeconds, Math.Max(-1, seconds)));
                    break;
                case "ban":
                    TimeSpan length = on && parts.Length == 2 ? TimeSpan.FromSeconds(Number(parts, 0)) : defaultBan;
                    own.Add(on ? () => weight.Ban(DateTime.UtcNow, length) : weight.Lift);
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
                throw new ArgumentException($"{e.Message}; Binance also has {Names}", e);
            }
        }

        own.ForEach(action => action());
    }

    public override string ToString()
    {
        long shutdown = Interlocked.Read(ref _shutdownSeconds);
        DateTime banned = weight.BannedUntil;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Shared}, depthgap={!_depthGaps.IsEmpty}, shutdown={(shutdown >= 0 ? $"{shutdown} s, pending" : "none")}, ban={(banned > DateTime.UtcNow ? $"until {banned:O}" : "off")}");
    }

    private void AddDepthGaps()
    {
        foreach (string symbol in symbols)
        {
            _depthGaps[(symbol, true)] = 0;
            _depthGaps[(symbol, false)] = 0;
        }
    }

    private static long Number(string[] parts, long fallback) =>
        parts.Length < 2 ? fallback
        : long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
        : throw new ArgumentException($"fault '{parts[0]}' needs a whole number after '=', not '{parts[1]}'");
}
