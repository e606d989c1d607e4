using System.Buffers.Binary;
using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Journal;
using MarketFeed.Model;

namespace MarketFeed.Bus.Tests.Contract;

public sealed class BusBatchCodecTests
{
    private static readonly DateTime Sent = new(2026, 3, 2, 9, 15, 0, 250, DateTimeKind.Utc);

    [Fact]
    public void Every_event_kind_comes_back_as_written()
    {
        var writer = new BusBatchWriter();
        writer.Begin(epoch: 1_772_000_000, shard: 3, shards: 8, BusChannel.Tick, "gw-a", "sim");
        Tick full = FullTick();
        Tick partial = new(default) { Seq = 12, ReceiveTime = Sent, Ltp = Price.FromDecimal(101.5m), Updates = TickFields.Trade, Flags = TickFlags.Trade };
        writer.AddTick("NSE:RELIANCE", 41, stateRound: false, in full);
        writer.AddTick("NYSE:BRK.B", 7, stateRound: true, in partial);
        BookUpdate book = Book();
        writer.AddBook("BINANCE:BTCUSDT", 9, book);
        var candle = new Candle(Sent.AddMinutes(-1), Sent, Price.FromDecimal(10m), Price.FromDecimal(12m), Price.FromDecimal(9.5m), Price.FromDecimal(11m), Quantity.FromDecimal(1234.5m), 17, CandleFlags.Closed);
        writer.AddCandle("NSE:RELIANCE", 5, CandleInterval.OneMinute, in candle, 33, revised: false);
        writer.AddCandle("NSE:RELIANCE", 6, CandleInterval.Parse("5m"), candle with { Flags = CandleFlags.Closed | CandleFlags.Revised }, 34, revised: true);
        writer.AddHealth("NSE:RELIANCE", 2, stateRound: false, InstrumentHealthState.Error, "venue refused the symbol");
        writer.AddHealth("NSE:INFY", 3, stateRound: true, InstrumentHealthState.Live, null);
        Instrument instrument = Reliance();
        writer.AddInstrument(instrument, 2, stateRound: true);
        writer.AddHeartbeat(stopping: true, instruments: 12);
        byte[] message = writer.Seal(batchSeq: 77, Sent).ToArray();

        var visitor = new RecordingVisitor();
        BusBatchHeader header = new BusBatchReader().Read(message, visitor);

        Assert.Equal(new BusBatchHeader(1, 0, 1_772_000_000, 3, 8, 77, Sent, 9, BusChannel.Tick, "gw-a", "sim"), header);
        Assert.Equal(9, visitor.Events.Count);
        Assert.Equal(new BusEvent("NSE:RELIANCE", 41, false), visitor.Events[0].Header);
        Tick fullBack = (Tick)visitor.Events[0].Value!;
        Assert.True(fullBack.SameMarketDataAs(full));
        Assert.Equal((full.Seq, full.ReceiveTime, full.Flags, full.Updates, full.Source, full.Mode), (fullBack.Seq, fullBack.ReceiveTime, fullBack.Flags, fullBack.Updates, fullBack.Source, fullBack.Mode));

        Assert.Equal(new BusEvent("NYSE:BRK.B", 7, true), visitor.Events[1].Header);
        Tick partialBack = (Tick)visitor.Events[1].Value!;
        Assert.True(partialBack.SameMarketDataAs(partial));
        Assert.False(partialBack.Bid.HasValue);
        Assert.False(partialBack.HasExchangeTime);
        Assert.Equal(TickFields.Trade, partialBack.Updates);

        var bookBack = (BookUpdate)visitor.Events[2].Value!;
        Assert.Equal((book.IsSnapshot, book.FirstUpdateId, book.LastUpdateId, book.Checksum, book.ExchangeTime, book.ReceiveTime), (bookBack.IsSnapshot, bookBack.FirstUpdateId, bookBack.LastUpdateId, bookBack.Checksum, bookBack.ExchangeTime, bookBack.ReceiveTime));
        Assert.Equal(book.Bids.ToArray(), bookBack.Bids.ToArray());
        Assert.Equal(book.Asks.ToArray(), bookBack.Asks.ToArray());

        Assert.Equal(BusEventKind.CandleClosed, visitor.Events[3].Kind);
        Assert.Equal((CandleInterval.OneMinute, candle, 33L), ((CandleInterval, Candle, long))visitor.Events[3].Value!);
        Assert.Equal(BusEventKind.CandleRevised, visitor.Events[4].Kind);
        Assert.Equal((CandleInterval.Parse("5m"), candle with { Flags = CandleFlags.Closed | CandleFlags.Revised }, 34L), ((CandleInterval, Candle, long))visitor.Events[4].Value!);
        Assert.Equal((InstrumentHealthState.Error, "venue refused the symbol"), ((InstrumentHealthState, string?))visitor.Events[5].Value!);
        Assert.Equal((InstrumentHealthState.Live, (string?)null), ((InstrumentHealthState, string?))visitor.Events[6].Value!);
        Assert.True(visitor.Events[6].Header.IsStateRound);
        var instrumentBack = (Instrument)visitor.Events[7].Value!;
        Assert.Equal(instrument with { Calendar = instrumentBack.Calendar }, instrumentBack);
        Assert.Equal(instrument.Calendar.Name, instrumentBack.Calendar.Name);
        Assert.Equal((true, 12), ((bool, int))visitor.Events[8].Value!);
    }

    [Fact]
    public void Absent_prices_cost_no_bytes()
    {
        var writer = new BusBatchWriter();
        writer.Begin(1, 0, 1, BusChannel.Tick, "g", "sim");
        int header = writer.Length;
        writer.AddTick("NSE:X", 1, false, new Tick(default) { Ltp = Price.FromDecimal(1m), Updates = TickFields.Trade });
        int trade = writer.Length - header;
        Tick quote = FullTick();
        quote.Greeks = null;
        quote.Depth = default;
        writer.AddTick("NSE:X", 2, false, quote);
        int whole = writer.Length - header - trade;
        Assert.Equal(12 * 8, whole - trade);
    }

    [Fact]
    public void A_damaged_or_truncated_message_is_refused_whole()
    {
        byte[] message = OneTickBatch();
        var reader = new BusBatchReader();
        for (int at = 0; at < message.Length; at += 7)
        {
            byte[] damaged = (byte[])message.Clone();
            damaged[at] ^= 0x5A;
            var visitor = new RecordingVisitor();
            var error = Assert.Throws<BusContractException>(() => reader.Read(damaged, visitor));
            Assert.Empty(visitor.Events);
            Assert.False(error.UnknownVersion && at != 2, $"byte {at}: {error.Message}");
        }

        foreach (int length in new[] { 0, 1, 5, 20, message.Length - 1 })
        {
            Assert.Throws<BusContractException>(() => reader.Read(message.AsSpan(0, length), new RecordingVisitor()));
        }
    }

    [Fact]
    public void Another_major_version_is_refused_and_named()
    {
        byte[] message = OneTickBatch();
        message[2] = 2;
        Recrc(message);
        var error = Assert.Throws<BusContractException>(() => new BusBatchReader().Read(message, new RecordingVisitor()));
        Assert.True(error.UnknownVersion);
        Assert.Contains("contract 2.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_minor_is_read_skipping_what_it_added()
    {
        byte[] v10 = OneTickBatch();
        var header10 = new BusBatchReader().ReadHeader(v10, out int eventsAt);

        // Version 1.7 of the same batch: four more header bytes, two more bytes at the end of the tick, and an event of
        // a kind 1.0 does not know.
        var v17 = new List<byte>();
        v17.AddRange(v10.AsSpan(0, eventsAt).ToArray());
        v17[3] = 7;
        ushort headerLength = BinaryPrimitives.ReadUInt16LittleEndian(v10.AsSpan(4));
        BinaryPrimitives.WriteUInt16LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(v17)[4..], (ushort)(headerLength + 4));
        v17.AddRange([0xDE, 0xAD, 0xBE, 0xEF]);
        ReadOnlySpan<byte> tickEvent = v10.AsSpan(eventsAt, v10.Length - 4 - eventsAt);
        ushort tickLength = BinaryPrimitives.ReadUInt16LittleEndian(tickEvent[1..]);
        v17.Add(tickEvent[0]);
        v17.AddRange(BitConverter.GetBytes((ushort)(tickLength + 2)));
        v17.AddRange(tickEvent[3..].ToArray());
        v17.AddRange([0x11, 0x22]);
        v17.AddRange([200, 3, 0, 1, 2, 3]);
        byte[] message = [.. v17, 0, 0, 0, 0];
        int countAt = BusBatchWriter.PreambleBytes + 4 + 2 + 2 + 8 + 8;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(countAt), 2);
        Recrc(message);

        var visitor = new RecordingVisitor();
        BusBatchHeader header = new BusBatchReader().Read(message, visitor);

        Assert.Equal(header10 with { Minor = 7, Count = 2 }, header);
        Tick tick = Assert.IsType<Tick>(Assert.Single(visitor.Events).Value);
        Assert.True(tick.SameMarketDataAs(FullTick()));
        Assert.Equal([(byte)200], visitor.UnknownKinds);
    }

    [Fact]
    public void Routing_keys_keep_every_symbol_one_word()
    {
        Assert.Equal("NYSE:BRK~B", BusContract.EscapeWord("NYSE:BRK.B"));
        Assert.Equal("KRAKEN:BTC/USD", BusContract.EscapeWord("KRAKEN:BTC/USD"));
        Assert.Equal("NSE:NIFTY%2050", BusContract.EscapeWord("NSE:NIFTY 50"));
        Assert.Equal("a%7Eb%2A%23%25", BusContract.EscapeWord("a~b*#%"));
        Assert.NotEqual(BusContract.EscapeWord("A.B"), BusContract.EscapeWord("A~B"));
        Assert.Equal("md.tick.sim.3", BusContract.RoutingKey(BusChannel.Tick, "sim", 3));
        Assert.Equal("md.candle.my~venue.0", BusContract.RoutingKey(BusChannel.Candle, "my.venue", 0));
    }

    [Fact]
    public void Shards_are_fnv1a_of_the_upper_case_symbol()
    {
        // Test vectors computed independently of this code (FNV-1a 32-bit, offset 2166136261, prime 16777619).
        Assert.Equal(4, BusContract.ShardOf("NSE:RELIANCE", 16));
        Assert.Equal(4, BusContract.ShardOf("nse:reliance", 16));
        Assert.Equal(0, BusContract.ShardOf("BINANCE:BTCUSDT", 16));
        Assert.Equal(7, BusContract.ShardOf("NSE:INFY", 16));
        Assert.Equal(11, BusContract.ShardOf("NYSE:BRK.B", 16));
        Assert.Equal(0, BusContract.ShardOf("NSE:RELIANCE", 1));
    }

    internal static void Recrc(byte[] message) =>
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(message.Length - 4), Crc32C.Compute(message.AsSpan(0, message.Length - 4)));

    private static byte[] OneTickBatch()
    {
        var writer = new BusBatchWriter();
        writer.Begin(5, 1, 4, BusChannel.Tick, "gw-b", "sim");
        writer.AddTick("NSE:RELIANCE", 1, false, FullTick());
        return writer.Seal(3, Sent).ToArray();
    }

    private static Tick FullTick()
    {
        var tick = new Tick(default)
        {
            Seq = 1_000_001,
            VenueSequence = 987_654_321,
            ExchangeTime = Sent.AddMilliseconds(-3),
            ReceiveTime = Sent,
            Ltp = Price.FromDecimal(2934.55m),
            Ltq = Quantity.FromDecimal(25m),
            Atp = Price.FromDecimal(2930.1m),
            Volume = Quantity.FromDecimal(1_234_567m),
            Bid = Price.FromDecimal(2934.5m),
            BidQty = Quantity.FromDecimal(100m),
            Ask = Price.FromDecimal(2934.6m),
            AskQty = Quantity.FromDecimal(80m),
            Open = Price.FromDecimal(2900m),
            High = Price.FromDecimal(2950m),
            Low = Price.FromDecimal(2890m),
            Close = Price.FromDecimal(2910m),
            Oi = Quantity.FromDecimal(5000m),
            Greeks = new OptionGreeks(0.5, 0.01, -3.2, 7.5, 0.18),
            Source = TickSource.Poll,
            Mode = FeedMode.Full,
            Flags = TickFlags.CumulativeVolume | TickFlags.Outlier,
            Updates = TickFields.All,
        };
        for (int i = 0; i < MarketDepth.Levels; i++)
        {
            tick.Depth.SetBid(i, new DepthLevel(Price.FromDecimal(2934.5m - i), Quantity.FromDecimal(10 + i), i + 1));
            tick.Depth.SetAsk(i, new DepthLevel(Price.FromDecimal(2934.6m + i), Quantity.FromDecimal(20 + i), i + 2));
        }

        return tick;
    }

    private static BookUpdate Book()
    {
        BookUpdate book = BookUpdate.Rent();
        book.IsSnapshot = false;
        book.FirstUpdateId = 100;
        book.LastUpdateId = 104;
        book.Checksum = 0xCAFEBABE;
        book.ExchangeTime = Sent.AddMilliseconds(-1);
        book.ReceiveTime = Sent;
        book.AddBid(Price.FromDecimal(64000.1m), Quantity.FromDecimal(0.5m));
        book.AddBid(Price.FromDecimal(63999m), Quantity.Zero);
        book.AddAsk(Price.FromDecimal(64001m), Quantity.FromDecimal(1.25m));
        return book;
    }

    private static Instrument Reliance() => new()
    {
        Exchange = "NSE",
        TradingSymbol = "RELIANCE",
        Name = "RELIANCE INDUSTRIES",
        Kind = InstrumentKind.Equity,
        TickSize = Price.FromDecimal(0.05m),
        LotSize = 1,
        Calendar = SessionCalendar.IndianEquity,
        Feed = "sim",
        NativeKey = "738561",
    };
}
