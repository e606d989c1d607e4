using MarketFeed.Model;

namespace MarketFeed.Health;

/// <summary>One instrument's line of the status: <c>{"symbol","state","ageMs","updates","source"}</c>.</summary>
public sealed record InstrumentStatus(
    string Symbol,
    string Feed,
    InstrumentHealthState State,
    long? AgeMs,
    long Updates,
    TickSource? Source);
