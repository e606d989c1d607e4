namespace MarketFeed.Journal;

public enum JournalRecorderState
{
    Recording,

    /// <summary>Writing failed (e.g. the disk is full): nothing more is recorded; what was written stays readable.</summary>
    Failed,

    Stopped,
}
