using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Quality;

namespace MarketFeed.Hub;

/// <summary>Everything a partition keeps for one instrument. Partition thread only, except <see cref="Slot"/>'s readers.</summary>
internal sealed class InstrumentState(Instrument instrument, QuoteSlot slot, TickAdmission admission, InstrumentCandles candles, FeedLatency latency)
{
    public Instrument Instrument { get; } = instrument;

    public QuoteSlot Slot { get; } = slot;

    public TickAdmission Admission { get; } = admission;

    public InstrumentCandles Candles { get; } = candles;

    /// <summary>The instrument's feed's latency histogram.</summary>
    public FeedLatency Latency { get; } = latency;

    /// <summary>The L2 book, for instruments whose venue sends book messages (created on the first).</summary>
    public OrderBook? Book { get; set; }

    /// <summary>When a snapshot was last asked for (so a book waiting for one asks again only now and then).</summary>
    public DateTime BookSnapshotRequested { get; set; }

    /// <summary>Last sequence number given to a delivered tick of this instrument.</summary>
    public long Seq { get; set; }
}
