namespace MarketFeed.Server.Streaming;

/// <summary>
/// Sits under a server WebSocket and lets its writer loop turn a pass of frames into one write: the writer frames its
/// messages itself (<see cref="WebSocketTransport"/>) and hands the pass to <see cref="EndBatchAsync"/>; what the
/// WebSocket writes meanwhile (pongs) is buffered and goes out just before. Outside a pass (pongs, close) writes go
/// straight through. Every write is whole frames under one gate, so frames never interleave.
/// </summary>
internal sealed class BatchingStream(Stream inner) : Stream
{
    private readonly MemoryStream _pending = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _batching;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void BeginBatch() => _batching = true;

    /// <summary>Ends the pass: what was buffered, then <paramref name="frames"/> (whole frames), in one flush.</summary>
    public async Task EndBatchAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            _batching = false;
            if (_pending.Length > 0)
            {
                await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
                _pending.SetLength(0);
            }

            if (!frames.IsEmpty)
            {
                await inner.WriteAsync(frames, cancellationToken);
            }

            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_batching)
            {
                _pending.Write(buffer.Span);
                return;
            }

            await inner.WriteAsync(buffer, cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _batching ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _writeGate.Dispose();
        }

        base.Dispose(disposing);
    }
}
