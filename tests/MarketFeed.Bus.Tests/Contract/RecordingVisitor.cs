using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Bus.Tests.Contract;

/// <summary>Keeps every decoded event, in order, as (kind, header, value).</summary>
internal sealed class RecordingVisitor : IBusEventVisitor
{
    public List<(BusEventKind Kind, BusEvent Header, object? Value)> Events { get; } = [];

    public List<byte> UnknownKinds { get; } = [];

    public bool OnBatch(in BusBatchHeader header) => true;

    public void OnTick(in BusEvent header, in Tick tick) => Events.Add((BusEventKind.Tick, header, tick));

    public void OnBook(in BusEvent header, BookUpdate book) => Events.Add((BusEventKind.Book, header, book));

    public void OnCandle(in BusEvent header, CandleInterval interval, in Candle candle, long candleSeq, bool revised) =>
        Events.Add((revised ? BusEventKind.CandleRevised : BusEventKind.CandleClosed, header, (interval, candle, candleSeq)));

    public void OnHealth(in BusEvent header, InstrumentHealthState state, string? error) => Events.Add((BusEventKind.Health, header, (state, error)));

    public void OnInstrument(in BusEvent header, Instrument definition) => Events.Add((BusEventKind.Instrument, header, definition));

    public void OnHeartbeat(bool stopping, int instruments) => Events.Add((BusEventKind.Heartbeat, default, (stopping, instruments)));

    public void OnUnknownKind(byte kind) => UnknownKinds.Add(kind);
}
