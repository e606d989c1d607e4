namespace MarketFeed.Journal;

/// <summary>A journal that cannot be read as such: the message names the file and, where it applies, the offset.</summary>
/// <param name="message">One line for people.</param>
/// <param name="newerFormat">True when the file is from a newer format version (not damage: a newer build reads it).</param>
public sealed class JournalException(string message, bool newerFormat = false) : Exception(message)
{
    public bool NewerFormat { get; } = newerFormat;
}
