namespace MarketFeed.Emulators.Fuzzing;

/// <summary>How long and how hard a <see cref="DecoderFuzzRun"/> fuzzes.</summary>
public sealed class FuzzRunOptions
{
    /// <summary>Fuzzed frames to send. Default 1,000,000.</summary>
    public long Frames { get; init; } = 1_000_000;

    public long Seed { get; init; } = 1;

    /// <summary>Fuzzed frames per emulator step (the emulator steps every 5–100 ms). Default 200.</summary>
    public int FramesPerStep { get; init; } = 200;

    /// <summary>Kinds to send (<c>truncated+oversized</c>…); null = <see cref="FuzzSettings.DefaultKinds"/>.</summary>
    public string? Kinds { get; init; }

    /// <summary>Longest the whole run may take. Default 30 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}
