namespace MarketFeed.Bus.Contract;

/// <summary>
/// What every instrument event carries before its kind's fields: the instrument by canonical symbol (instrument ids
/// are per process), the producer's per-instrument bus sequence (+1 per event of any kind, resumed across restarts),
/// and whether it repeats the latest state (a state round) rather than bringing news.
/// </summary>
public readonly record struct BusEvent(string Symbol, long BusSeq, bool IsStateRound);
