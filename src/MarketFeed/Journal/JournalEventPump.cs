using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Taps;

namespace MarketFeed.Journal;

/// <summary>
/// Records what the hub admits — ticks and candle closes, with their sequence numbers — into the normalized log. It
/// reads a firehose of its own, so the hub never waits for it: if the recorder falls behind, the firehose drops and
/// counts (<see cref="FirehoseDropped"/>), and so does the recorder's queue.
/// </summary>
public sealed class JournalEventPump : IAsyncDisposable
{
    private readonly Firehose _firehose;
    private readonly Task _pump;
    private readonly CancellationTokenSource _stopping = new();

    private JournalEventPump(MarketHub hub, InstrumentRegistry instruments, JournalRecorder recorder, FirehoseOptions? options)
    {
        _firehose = hub.AttachFirehose(options ?? new FirehoseOptions { Capacity = 65_536 });
        _pump = Task.Run(() => PumpAsync(new Encoder(instruments, recorder)));
    }

    /// <summary>Events the firehose could not hold for the recorder.</summary>
    public long FirehoseDropped => _firehose.Dropped;

    public static JournalEventPump Start(MarketHub hub, InstrumentRegistry instruments, JournalRecorder recorder, FirehoseOptions? options = null) =>
        new(hub, instruments, recorder, options);

    /// <summary>Records what the firehose still holds, then detaches from the hub.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        await _firehose.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync(Encoder encoder)
    {
        try
        {
            while (await _firehose.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                _firehose.Drain(ref encoder);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        _firehose.Drain(ref encoder);
    }

    /// <summary>Encodes each event straight from its firehose slot into one reused buffer.</summary>
    private struct Encoder(InstrumentRegistry instruments, JournalRecorder recorder) : IFirehoseReader
    {
        private readonly HashSet<InstrumentId> _described = [];
        private byte[] _buffer = new byte[4096];

        public void OnTick(in Tick tick)
        {
            string symbol = Describe(tick.Instrument, tick.ReceiveTime);
            Span<byte> buffer = Buffer(JournalEventCodec.MaxTickBytes(symbol));
            int length = JournalEventCodec.WriteTick(buffer, in tick, symbol);
            recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Tick, 0, 0, tick.ReceiveTime, buffer[..length]);
        }

        public void OnCandleClosed(in CandleEvent candle)
        {
            string symbol = Describe(candle.Instrument, candle.Candle.End);
            Span<byte> buffer = Buffer(JournalEventCodec.MaxCandleBytes(symbol, candle.Interval));
            int length = JournalEventCodec.WriteCandle(buffer, symbol, candle.Interval, candle.Candle, candle.Seq);
            recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.CandleClosed, 0, 0, candle.Candle.End, buffer[..length]);
        }

        /// <summary>The instrument's symbol; before its first event, its definition goes into the log (for replays).</summary>
        private readonly string Describe(InstrumentId id, DateTime at)
        {
            Instrument instrument = instruments.Get(id);
            if (_described.Add(id))
            {
                recorder.TryRecord(JournalLogKind.Normalized, JournalRecordKind.Marker, 0, 0, at, JournalInstrumentCodec.Write(instrument));
            }

            return instrument.Symbol;
        }

        private Span<byte> Buffer(int size)
        {
            if (_buffer.Length < size)
            {
                _buffer = new byte[size];
            }

            return _buffer;
        }
    }
}
