using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Contract;

/// <summary>Receives the events of a batch as <see cref="BusBatchReader"/> decodes them, in order.</summary>
public interface IBusEventVisitor
{
    /// <summary>The batch's header, before its events: false skips them all (a duplicate batch, a venue not wanted).</summary>
    bool OnBatch(in BusBatchHeader header);

    /// <summary>A tick; its <see cref="Tick.Instrument"/> is unset (the consumer resolves <see cref="BusEvent.Symbol"/>), its <see cref="Tick.Seq"/> is the producer hub's.</summary>
    void OnTick(in BusEvent header, in Tick tick);

    /// <summary>A book message, rented from <see cref="BookUpdate.Rent"/>: the visitor owns it from here on.</summary>
    void OnBook(in BusEvent header, BookUpdate book);

    void OnCandle(in BusEvent header, CandleInterval interval, in Candle candle, long candleSeq, bool revised);

    void OnHealth(in BusEvent header, InstrumentHealthState state, string? error);

    void OnInstrument(in BusEvent header, Instrument definition);

    void OnHeartbeat(bool stopping, int instruments);

    /// <summary>An event of a kind a newer minor version added: skipped.</summary>
    void OnUnknownKind(byte kind);
}
