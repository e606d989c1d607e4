using System.Buffers.Binary;
using System.Text;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Journal;
using MarketFeed.Model;

namespace MarketFeed.Bus.Contract;

/// <summary>
/// Builds one batch (docs/bus.md, "Message"): <see cref="Begin"/>, events, <see cref="Seal"/>. Little-endian; every
/// event is <c>kind, length, body</c> so a consumer skips what it does not know; a CRC-32C of the whole closes it.
/// Reused for every batch of a shard: the buffer grows to the largest batch and stays.
/// </summary>
public sealed class BusBatchWriter
{
    /// <summary>Bytes of the fixed header fields (after the magic, versions and header length).</summary>
    internal const int FixedHeaderBytes = 4 + 2 + 2 + 8 + 8 + 2 + 1;

    internal const int PreambleBytes = 2 + 1 + 1 + 2;

    internal const byte StateRoundFlag = 1;

    private static readonly long Absent = Price.None.Raw;

    private byte[] _buffer = new byte[8 * 1024];
    private int _length;
    private int _countAt;
    private int _batchSeqAt;
    private int _eventAt;

    /// <summary>Events in the batch being built.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes so far (the CRC adds four).</summary>
    public int Length => _length;

    public bool IsEmpty => Count == 0;

    /// <summary>Forgets the batch (after <see cref="Seal"/>, its bytes copied): the next event needs a <see cref="Begin"/>.</summary>
    public void Clear()
    {
        Count = 0;
        _length = 0;
    }

    /// <summary>Starts a batch; its number is given at <see cref="Seal"/>, so batches are numbered in the order they leave.</summary>
    public void Begin(uint epoch, int shard, int shards, BusChannel channel, string gatewayId, string venue)
    {
        _length = 0;
        Count = 0;
        Bytes(BusContract.Magic);
        U8(BusContract.Major);
        U8(BusContract.Minor);
        int headerLengthAt = _length;
        U16(0);
        U32(epoch);
        U16((ushort)shard);
        U16((ushort)shards);
        _batchSeqAt = _length;
        I64(0);
        I64(0);
        _countAt = _length;
        U16(0);
        U8((byte)channel);
        Str8(gatewayId);
        Str8(venue);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(headerLengthAt), (ushort)(_length - headerLengthAt - 2));
    }

    public void AddTick(string symbol, long busSeq, bool stateRound, in Tick tick)
    {
        StartEvent(BusEventKind.Tick, symbol, busSeq, stateRound);
        I64(tick.Seq);
        I64(tick.VenueSequence);
        I64(tick.ExchangeTime.Ticks);
        I64(tick.ReceiveTime.Ticks);
        U8((byte)tick.Source);
        U8((byte)tick.Mode);
        U16((ushort)tick.Flags);
        U8((byte)tick.Updates);
        ReadOnlySpan<long> values =
        [
            tick.Ltp.Raw, tick.Ltq.Raw, tick.Atp.Raw, tick.Volume.Raw, tick.Bid.Raw, tick.BidQty.Raw, tick.Ask.Raw,
            tick.AskQty.Raw, tick.Open.Raw, tick.High.Raw, tick.Low.Raw, tick.Close.Raw, tick.Oi.Raw,
        ];
        ushort present = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Absent)
            {
                present |= (ushort)(1 << i);
            }
        }

        U16(present);
        foreach (long value in values)
        {
            if (value != Absent)
            {
                I64(value);
            }
        }

        if (tick.Greeks is { } greeks)
        {
            U8(1);
            F64(greeks.Delta);
            F64(greeks.Gamma);
            F64(greeks.Theta);
            F64(greeks.Vega);
            F64(greeks.Iv);
        }
        else
        {
            U8(0);
        }

        U8((byte)tick.Depth.BidCount);
        U8((byte)tick.Depth.AskCount);
        for (int i = 0; i < tick.Depth.BidCount; i++)
        {
            Level(tick.Depth.Bids[i]);
        }

        for (int i = 0; i < tick.Depth.AskCount; i++)
        {
            Level(tick.Depth.Asks[i]);
        }

        EndEvent();
    }

    public void AddBook(string symbol, long busSeq, BookUpdate book)
    {
        StartEvent(BusEventKind.Book, symbol, busSeq, stateRound: false);
        U8(book.IsSnapshot ? (byte)1 : (byte)0);
        I64(book.FirstUpdateId);
        I64(book.LastUpdateId);
        U8(book.Checksum.HasValue ? (byte)1 : (byte)0);
        U32(book.Checksum ?? 0);
        I64(book.ExchangeTime.Ticks);
        I64(book.ReceiveTime.Ticks);
        U8((byte)book.Source);
        U16((ushort)book.BidCount);
        U16((ushort)book.AskCount);
        foreach (BookLevelChange level in book.Bids)
        {
            I64(level.Price.Raw);
            I64(level.Quantity.Raw);
        }

        foreach (BookLevelChange level in book.Asks)
        {
            I64(level.Price.Raw);
            I64(level.Quantity.Raw);
        }

        EndEvent();
    }

    public void AddCandle(string symbol, long busSeq, CandleInterval interval, in Candle candle, long candleSeq, bool revised)
    {
        StartEvent(revised ? BusEventKind.CandleRevised : BusEventKind.CandleClosed, symbol, busSeq, stateRound: false);
        Str8(interval.Label);
        I64(candleSeq);
        I64(candle.Start.Ticks);
        I64(candle.End.Ticks);
        I64(candle.Open.Raw);
        I64(candle.High.Raw);
        I64(candle.Low.Raw);
        I64(candle.Close.Raw);
        I64(candle.Volume.Raw);
        U32((uint)candle.Ticks);
        U32((uint)candle.Flags);
        EndEvent();
    }

    public void AddHealth(string symbol, long busSeq, bool stateRound, InstrumentHealthState state, string? error)
    {
        StartEvent(BusEventKind.Health, symbol, busSeq, stateRound);
        U8((byte)state);
        byte[] text = Encoding.UTF8.GetBytes(error ?? "");
        U8(error is null ? (byte)0 : (byte)1);
        int length = Math.Min(text.Length, 1024);
        U16((ushort)length);
        Bytes(text.AsSpan(0, length));
        EndEvent();
    }

    /// <summary>An instrument definition: the bus sequence is not advanced by it (it is sent with the instrument's current number).</summary>
    public void AddInstrument(Instrument instrument, long busSeq, bool stateRound)
    {
        StartEvent(BusEventKind.Instrument, instrument.Symbol, busSeq, stateRound);
        Bytes(JournalInstrumentCodec.Write(instrument));
        EndEvent();
    }

    public void AddHeartbeat(bool stopping, int instruments)
    {
        U8((byte)BusEventKind.Heartbeat);
        _eventAt = _length;
        U16(0);
        U8(stopping ? (byte)1 : (byte)0);
        U32((uint)instruments);
        EndEvent();
    }

    /// <summary>Finishes the batch (number, send time, count, CRC) and returns its bytes, valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> Seal(long batchSeq, DateTime sentAt)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_batchSeqAt), batchSeq);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_batchSeqAt + 8), sentAt.Ticks);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_countAt), (ushort)Count);
        uint crc = Crc32C.Compute(_buffer.AsSpan(0, _length));
        U32(crc);
        return _buffer.AsSpan(0, _length);
    }

    private void StartEvent(BusEventKind kind, string symbol, long busSeq, bool stateRound)
    {
        U8((byte)kind);
        _eventAt = _length;
        U16(0);
        Str8(symbol);
        I64(busSeq);
        U8(stateRound ? StateRoundFlag : (byte)0);
    }

    private void EndEvent()
    {
        int length = _length - _eventAt - 2;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"an event of {length} bytes does not fit the contract's 16-bit length");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_eventAt), (ushort)length);
        Count++;
    }

    private void Level(DepthLevel level)
    {
        I64(level.Price.Raw);
        I64(level.Quantity.Raw);
        U32((uint)level.Orders);
    }

    private Span<byte> Room(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }

        Span<byte> room = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return room;
    }

    private void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Room(bytes.Length));

    private void U8(byte value) => Room(1)[0] = value;

    private void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Room(2), value);

    private void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Room(4), value);

    private void I64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Room(8), value);

    private void F64(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Room(8), value);

    private void Str8(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> room = Room(1 + max);
        int length = Encoding.UTF8.GetBytes(text, room[1..]);
        if (length > byte.MaxValue)
        {
            throw new ArgumentException($"a name of at most 255 UTF-8 bytes, not {length}", nameof(text));
        }

        room[0] = (byte)length;
        _length -= max - length;
    }
}
