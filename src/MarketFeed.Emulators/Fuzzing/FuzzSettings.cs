using System.Collections.Frozen;
using System.Globalization;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// The <c>fuzz</c> fault as the spec set it: <c>fuzz=SEED,fuzzrate=N,fuzzcount=N,fuzzsize=BYTES,fuzzkinds=K+K,fuzztarget=KEY</c>.
/// Immutable: every change makes a new instance, and each <c>fuzz=SEED</c> starts a new <see cref="Run"/>.
/// </summary>
public sealed record FuzzSettings
{
    /// <summary>Every kind but <see cref="FuzzKind.InvalidUtf8"/>, which fails the connection by design (RFC 6455 §8.1).</summary>
    public static IReadOnlySet<FuzzKind> DefaultKinds { get; } = Enum.GetValues<FuzzKind>().Where(k => k != FuzzKind.InvalidUtf8).ToFrozenSet();

    /// <summary>Off (<c>-fuzz</c>) keeps the other settings for the next <c>fuzz=SEED</c>.</summary>
    public bool On { get; init; }

    public long Seed { get; init; } = 1;

    /// <summary>Bumped by each <c>fuzz=SEED</c>: the emulator starts a fresh generator from the seed.</summary>
    public int Run { get; init; }

    /// <summary>Fuzzed frames per connection per emulator step. Default 1.</summary>
    public int FramesPerStep { get; init; } = 1;

    /// <summary>Stop after this many fuzzed frames in this run; 0 = never. Default 0.</summary>
    public long Limit { get; init; }

    /// <summary>Oversized frames are this many bytes or up to 1 KiB more. Default 4 MiB + 1, past the client's default limit.</summary>
    public long OversizedBytes { get; init; } = (4 * 1024 * 1024) + 1;

    public IReadOnlySet<FuzzKind> Kinds { get; init; } = DefaultKinds;

    /// <summary>Native keys (e.g. Kite tokens) whose frames are fuzzed; every other instrument is protected. Empty = every subscribed instrument.</summary>
    public IReadOnlySet<string> Targets { get; init; } = FrozenSet<string>.Empty;

    public bool IsTarget(string nativeKey) => Targets.Count == 0 || Targets.Contains(nativeKey);

    /// <summary>Parses <c>truncated+oversized+…</c> (names of <see cref="FuzzKind"/>, any case).</summary>
    /// <exception cref="ArgumentException">An unknown kind; the message lists them.</exception>
    public static IReadOnlySet<FuzzKind> ParseKinds(string text) =>
        text.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => Enum.TryParse(name, ignoreCase: true, out FuzzKind kind) && Enum.IsDefined(kind)
                ? kind
                : throw new ArgumentException($"unknown fuzz kind '{name}': use {string.Join(", ", Enum.GetNames<FuzzKind>().Select(n => n.ToLowerInvariant()))}, joined by +"))
            .ToFrozenSet();

    public override string ToString() =>
        !On ? "off" : string.Create(CultureInfo.InvariantCulture, $"seed {Seed}, {FramesPerStep}/step, limit {Limit}, oversized {OversizedBytes} B, kinds {string.Join('+', Kinds.Order())}, targets {(Targets.Count == 0 ? "all" : string.Join('+', Targets.Order()))}");
}
