using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// What one market step did to a pair: its trades (as sent on <c>trade</c>, with the ticks a client should decode
/// from them), its new top of book when that changed (for <c>ticker</c>), and its book's best levels when the book
/// changed (each connection diffs them against what it last sent, at its depth).
/// </summary>
internal sealed record KrakenStepEvent(
    KrakenPairSpec Spec,
    string? TradeJson,
    IReadOnlyList<Tick> TradeTicks,
    string? TickerJson,
    Tick? TickerTick,
    IReadOnlyList<(long Price, long Quantity)>? Bids,
    IReadOnlyList<(long Price, long Quantity)>? Asks,
    DateTime Time);
