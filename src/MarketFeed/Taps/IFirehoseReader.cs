using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>
/// Reads firehose events in place (<see cref="Firehose.Drain{TReader}"/>): each event is handed over by reference
/// straight from its ring slot, so a consumer that serializes it (the journal, the bus) copies nothing on the way.
/// </summary>
public interface IFirehoseReader
{
    void OnTick(in Tick tick);

    void OnCandleClosed(in CandleEvent candle);

    /// <summary>A closed candle changed after the fact (old value and new). Readers that keep no candles need not implement it.</summary>
    void OnCandleRevised(in CandleRevision revision)
    {
    }

    /// <summary>An order-book change was applied (the book's best levels after it). Readers that keep no books need not implement it.</summary>
    void OnBook(in FirehoseBook book)
    {
    }
}
