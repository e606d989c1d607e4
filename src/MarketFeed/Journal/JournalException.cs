namespace MarketFeed.Journal;

/// <summary>A journal that cannot be read as such: the message names the file and, where it applies, the offset.</summary>
public sealed class JournalException(string message) : Exception(message)
{
}
