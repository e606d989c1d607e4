using MarketFeed.Feeds;
using MarketFeed.Instruments;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Chains;

/// <summary>
/// Asks a chain's feed for the previous day's OI of the options in its window, off the chain's consumer: once when
/// the chain opens and whenever the window moves, then again for those still unknown after 1, 2, 4 and 8 s (a venue's
/// stream sends it a moment after the subscription; a REST answer may have failed), then not until the window moves.
/// </summary>
internal sealed class PreviousOiLoader
{
    private const int Attempts = 5;
    private readonly Lock _gate = new();
    private readonly LiveChain _chain;
    private readonly IPreviousOpenInterestSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PreviousOiLoader(LiveChain chain, IPreviousOpenInterestSource source, TimeProvider time, ILogger logger)
    {
        _chain = chain;
        _source = source;
        _time = time;
        _logger = logger;
    }

    /// <summary>The window moved: ask for the options that entered it now.</summary>
    public void WindowMoved()
    {
        lock (_gate)
        {
            _moved.TrySetResult();
        }
    }

    public async Task RunAsync(CancellationToken token)
    {
        string root = _chain.Definition.Root, expiry = _chain.Definition.Expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        int attempt = 0;
        while (!token.IsCancellationRequested)
        {
            Task moved = NextMove();
            IReadOnlyList<Instrument> wanted = _chain.OptionsWithoutPreviousOi();
            if (wanted.Count > 0 && attempt < Attempts)
            {
                attempt++;
                int known = 0;
                try
                {
                    await foreach (PreviousOpenInterest answer in _source.GetPreviousOpenInterestAsync(wanted, token).ConfigureAwait(false))
                    {
                        _chain.ApplyPreviousOi(answer);
                        known++;
                    }

                    ChainLog.PreviousOiKnown(_logger, root, expiry, known, wanted.Count);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ChainLog.PreviousOiFailed(_logger, root, expiry, e);
                }
            }

            if (_chain.OptionsWithoutPreviousOi().Count == 0 || attempt >= Attempts)
            {
                await moved.WaitAsync(token).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAny(moved, Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), _time, token)).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
            }

            if (moved.IsCompleted)
            {
                attempt = 0;
            }
        }
    }

    /// <summary>The signal of the next window move (a fresh one once the last has fired), taken before the options are listed so no move is missed.</summary>
    private Task NextMove()
    {
        lock (_gate)
        {
            if (_moved.Task.IsCompleted)
            {
                _moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _moved.Task;
        }
    }
}
