namespace MarketFeed.LoadTest.Fanout;

/// <summary>One baseline client: its pending latest-per-instrument messages and the loop that writes them as frames.</summary>
internal sealed class BaselineClient(Stream stream, bool batch)
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly MemoryStream _pass = new();

    public LatestPerInstrument Pending { get; } = new();

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the writer will take everything pending when it runs.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(cancellationToken);
            List<byte[]> messages = Pending.Take();
            if (messages.Count == 0)
            {
                continue;
            }

            _pass.SetLength(0);
            if (batch)
            {
                int length = messages.Sum(m => m.Length) + messages.Count + 1;
                WriteHeader(length);
                _pass.WriteByte((byte)'[');
                for (int i = 0; i < messages.Count; i++)
                {
                    _pass.Write(messages[i]);
                    _pass.WriteByte(i == messages.Count - 1 ? (byte)']' : (byte)',');
                }
            }
            else
            {
                foreach (byte[] message in messages)
                {
                    WriteHeader(message.Length);
                    _pass.Write(message);
                }
            }

            await stream.WriteAsync(_pass.GetBuffer().AsMemory(0, (int)_pass.Length), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    /// <summary>An unmasked final text frame's header (RFC 6455 5.2).</summary>
    private void WriteHeader(int length)
    {
        _pass.WriteByte(0x81);
        if (length < 126)
        {
            _pass.WriteByte((byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            _pass.WriteByte(126);
            _pass.WriteByte((byte)(length >> 8));
            _pass.WriteByte((byte)length);
        }
        else
        {
            _pass.WriteByte(127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                _pass.WriteByte((byte)((long)length >> shift));
            }
        }
    }
}
