using System.Threading.Channels;

namespace MarketFeed.Taps;

/// <summary>
/// Every admitted tick of every instrument and every candle close, in order per instrument (each instrument is
/// written by its one hub partition), for the journal, stores and the bus. Attached with
/// <c>MarketHub.AttachFirehose</c>; dispose to detach. Nothing attached costs the hub one array-length check.
/// </summary>
public sealed class Firehose : IAsyncDisposable
{
    private readonly Channel<FirehoseEvent> _channel;
    private readonly Action<Firehose> _detach;
    private long _dropped;
    private long _written;

    internal Firehose(FirehoseOptions options, Action<Firehose> detach)
    {
        Options = options;
        _detach = detach;
        _channel = Channel.CreateBounded<FirehoseEvent>(new BoundedChannelOptions(Math.Max(16, options.Capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
    }

    public FirehoseOptions Options { get; }

    public ChannelReader<FirehoseEvent> Reader => _channel.Reader;

    /// <summary>Events not delivered because this consumer was full (never silently: this is the count).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Partition side. Never blocks unless <see cref="FirehoseOptions.Lossless"/>.</summary>
    internal void Write(in FirehoseEvent item)
    {
        if (_channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref _written);
            return;
        }

        if (!Options.Lossless)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        // Lossless: wait for room on the partition thread (the option's documented cost).
        ValueTask write = _channel.Writer.WriteAsync(item);
        if (!write.IsCompleted)
        {
            write.AsTask().GetAwaiter().GetResult();
        }

        Interlocked.Increment(ref _written);
    }

    public ValueTask DisposeAsync()
    {
        _detach(this);
        _channel.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
