using MarketFeed.Health;
using MarketFeed.Instruments;

namespace MarketFeed.Bus.Publishing;

/// <summary>An instrument as the publisher knows it: its shard, whether this process owns it, and the health it last published.</summary>
internal sealed class PublishedInstrument(Instrument instrument, int shard, bool isOwned)
{
    public Instrument Instrument { get; } = instrument;

    public string Symbol => Instrument.Symbol;

    public int Shard { get; } = shard;

    public bool IsOwned { get; } = isOwned;

    public InstrumentHealthState? LastState { get; set; }

    public string? LastError { get; set; }
}
