using MarketFeed.Model;

namespace MarketFeed.Health;

/// <summary>
/// One instrument's line of the status: <c>{"symbol","state","ageMs","updates","source","error"}</c>; <c>error</c> is
/// the venue's text when it refused this instrument alone (null otherwise).
/// </summary>
public sealed record InstrumentStatus(
    string Symbol,
    string Feed,
    InstrumentHealthState State,
    long? AgeMs,
    long Updates,
    TickSource? Source,
    string? Error = null);
