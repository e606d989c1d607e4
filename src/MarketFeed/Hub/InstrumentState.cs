using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Quality;

namespace MarketFeed.Hub;

/// <summary>Everything a partition keeps for one instrument. Partition thread only, except <see cref="Slot"/>'s readers.</summary>
internal sealed class InstrumentState(Instrument instrument, QuoteSlot slot, TickAdmission admission, InstrumentCandles candles)
{
    public Instrument Instrument { get; } = instrument;

    public QuoteSlot Slot { get; } = slot;

    public TickAdmission Admission { get; } = admission;

    public InstrumentCandles Candles { get; } = candles;

    /// <summary>Last sequence number given to a delivered tick of this instrument.</summary>
    public long Seq { get; set; }
}
