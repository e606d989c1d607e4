using System.Runtime.CompilerServices;

namespace MarketFeed.Chains;

/// <summary>
/// One consumer's view of a <see cref="LiveChain"/>: a snapshot first, then the strikes that changed, conflated (a
/// slow reader gets the latest values of every strike that changed since its last read, never a stale one, and the
/// chain never waits for it). A new snapshot follows whenever the window moves with the underlying.
/// </summary>
public sealed class ChainReader : IDisposable
{
    private readonly LiveChain _chain;
    private readonly Lock _gate = new();
    private readonly Action? _changed;
    private TaskCompletionSource? _waiter;
    private bool _pending = true;
    private bool _closed;

    internal ChainReader(LiveChain chain, Action? changed)
    {
        _chain = chain;
        _changed = changed;
    }

    public LiveChain Chain => _chain;

    /// <summary>Whether the chain changed since the last read (or the snapshot is still to be read).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending && !_closed;
            }
        }
    }

    /// <summary>Sequence number of the last view read (−1 before the snapshot).</summary>
    internal long LastSeq { get; set; } = -1;

    internal long LastWindowSeq { get; set; } = -1;

    /// <summary>The next view: waits until the chain changed since the last one; null once the chain or reader closed.</summary>
    public async ValueTask<ChainView?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_closed)
                {
                    return null;
                }

                if (_pending)
                {
                    _pending = false;
                    wait = Task.CompletedTask;
                }
                else
                {
                    _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _waiter.Task;
                }
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_chain.Read(this) is { } view)
            {
                return view;
            }
        }
    }

    /// <summary>The next view if the chain changed since the last one, without waiting (a writer loop woken by the reader's change callback).</summary>
    public ChainView? TryRead()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            _pending = false;
        }

        return _chain.Read(this);
    }

    public async IAsyncEnumerable<ChainView> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } view)
        {
            yield return view;
        }
    }

    public void Dispose()
    {
        Close();
        _chain.RemoveReader(this);
    }

    internal void Signal()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _pending = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
        _changed?.Invoke();
    }

    internal void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }

        Signal();
    }
}
