namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// A valid frame the venue emulator would send, for a <see cref="FrameFuzzer"/> to damage. A text frame is one JSON
/// object with nothing after its closing brace. <see cref="Fields"/> are the framing fields of a binary frame (counts,
/// lengths, instrument keys) as (offset, width); big-endian where the fuzzer adds or subtracts one.
/// </summary>
public sealed record FuzzInput(byte[] Bytes, bool Text, IReadOnlyList<(int Offset, int Width)> Fields)
{
    public static FuzzInput TextFrame(string json) => new(System.Text.Encoding.UTF8.GetBytes(json), true, []);
}
