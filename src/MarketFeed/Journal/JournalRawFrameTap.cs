using MarketFeed.Taps;

namespace MarketFeed.Journal;

/// <summary>Records every frame a feed session receives or sends into the raw log, byte for byte (the recorder copies; nothing waits).</summary>
public sealed class JournalRawFrameTap(JournalRecorder recorder) : IRawFrameTap
{
    public void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc) =>
        recorder.TryRecord(
            JournalLogKind.Raw,
            direction == RawFrameDirection.In ? JournalRecordKind.FrameIn : JournalRecordKind.FrameOut,
            isText ? JournalFormat.TextFrame : (ushort)0,
            (uint)connection,
            atUtc,
            bytes);
}
