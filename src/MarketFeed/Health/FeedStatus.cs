using MarketFeed.Feeds;

namespace MarketFeed.Health;

/// <summary>One feed's line of the status, with what was wrong with the venue's input.</summary>
public sealed record FeedStatus(
    string Feed,
    FeedState State,
    int Connections,
    long Reconnects,
    string? LastError,
    double MessagesPerSecond,
    long MalformedFrames = 0,
    long OversizedFrames = 0,
    long UnknownInstruments = 0,
    long HandlerErrors = 0,
    long PollFailures = 0,
    string? Simulated = null,
    FeedTransport Mode = FeedTransport.Stream,
    bool PollingForced = false,
    LatencySummary? Latency = null,
    long DuplicatesDropped = 0);
