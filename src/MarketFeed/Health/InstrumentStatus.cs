using MarketFeed.Model;

namespace MarketFeed.Health;

/// <summary>One instrument's line of the status: <c>{"symbol","state","ageMs","updates","source","error"}</c> (the venue's refusal of it, when it refused it).</summary>
public sealed record InstrumentStatus(
    string Symbol,
    string Feed,
    InstrumentHealthState State,
    long? AgeMs,
    long Updates,
    TickSource? Source,
    string? Error = null);
