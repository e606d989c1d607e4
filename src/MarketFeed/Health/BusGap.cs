namespace MarketFeed.Health;

/// <summary>A sequence gap a consumer found: on <see cref="Channel"/> of <see cref="Symbol"/>, numbers <see cref="From"/> to <see cref="To"/> never arrived from <see cref="Producer"/>.</summary>
public sealed record BusGap(string Symbol, string Channel, string Producer, long From, long To, DateTime At);
