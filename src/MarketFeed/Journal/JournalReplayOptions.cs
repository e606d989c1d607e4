namespace MarketFeed.Journal;

/// <summary>What <c>marketfeed replay</c> plays back, and how fast.</summary>
public sealed class JournalReplayOptions
{
    /// <summary>The recording's directory. Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Start at the first event recorded at or after this instant (UTC); default the beginning.</summary>
    public DateTime? From { get; set; }

    /// <summary>Stop before the first event recorded at or after this instant (UTC); default the end.</summary>
    public DateTime? To { get; set; }

    /// <summary>1 plays at the recorded pace, 10 ten times faster; 0 (<c>max</c>) as fast as the hub takes it. Default 1.</summary>
    public double Speed { get; set; } = 1;
}
