using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Consuming;

/// <summary>The start-up pass: only instrument definitions are taken (registered), everything else is read past.</summary>
internal sealed class DefinitionVisitor(BusFeed feed) : IBusEventVisitor
{
    public bool OnBatch(in BusBatchHeader header) => header.Channel == BusChannel.State && feed.WantsVenue(header.Venue);

    public void OnInstrument(in BusEvent header, Instrument definition) => feed.Define(definition);

    public void OnTick(in BusEvent header, in Tick tick)
    {
    }

    public void OnBook(in BusEvent header, BookUpdate book) => BookUpdate.Return(book);

    public void OnCandle(in BusEvent header, CandleInterval interval, in Candle candle, long candleSeq, bool revised)
    {
    }

    public void OnHealth(in BusEvent header, InstrumentHealthState state, string? error)
    {
    }

    public void OnHeartbeat(bool stopping, int instruments)
    {
    }

    public void OnUnknownKind(byte kind)
    {
    }
}
