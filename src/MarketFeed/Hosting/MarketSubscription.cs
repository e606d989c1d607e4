using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Hosting;

/// <summary>
/// A consumer's live view of some instruments: ticks, candle events and (with <see cref="SubscriberOptions.Books"/>)
/// order books as <see cref="IAsyncEnumerable{T}"/> or callbacks. Holds one lease per instrument; disposing releases them. A callback that throws is counted and
/// logged, and the subscription keeps running; it never reaches the hub.
/// </summary>
public sealed class MarketSubscription : IAsyncDisposable
{
    private readonly MarketFeedHost _host;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<InstrumentId, (Instrument Instrument, Lease Lease)> _held = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _pumps = [];

    internal MarketSubscription(MarketFeedHost host, HubSubscriber subscriber, ILogger logger)
    {
        _host = host;
        Subscriber = subscriber;
        _logger = logger;
    }

    /// <summary>The hub-side mailbox, with its delivery and loss counters.</summary>
    public HubSubscriber Subscriber { get; }

    public IReadOnlyList<Instrument> Instruments
    {
        get
        {
            lock (_gate)
            {
                return [.. _held.Values.Select(h => h.Instrument)];
            }
        }
    }

    public Instrument Add(string symbol)
    {
        Instrument instrument = _host.Resolve(symbol);
        Add(instrument);
        return instrument;
    }

    public void Add(Instrument instrument)
    {
        lock (_gate)
        {
            if (_held.ContainsKey(instrument.Id))
            {
                return;
            }

            _host.Hub.Watch(Subscriber, instrument.Id);
            _held[instrument.Id] = (instrument, _host.Subscriptions.Acquire(instrument.Id, Subscriber.Options.Mode));
        }
    }

    /// <summary>Stops this instrument; when it returns, no tick or candle of it will be delivered here.</summary>
    public bool Remove(string symbol)
    {
        Instrument instrument = _host.Resolve(symbol);
        lock (_gate)
        {
            if (!_held.Remove(instrument.Id, out (Instrument Instrument, Lease Lease) held))
            {
                return false;
            }

            _host.Hub.Unwatch(Subscriber, instrument.Id);
            held.Lease.Dispose();
            return true;
        }
    }

    public IAsyncEnumerable<Tick> Ticks(CancellationToken cancellationToken = default) => Subscriber.ReadTicksAsync(cancellationToken);

    public IAsyncEnumerable<CandleEvent> Candles(CancellationToken cancellationToken = default) => Subscriber.ReadCandlesAsync(cancellationToken);

    /// <summary>
    /// Closed bars changed after the fact (<c>candleRevised</c>: old and new values) at the intervals this subscription
    /// takes candles of — reconciled with the venue's own candles, or backfilled after an outage. Never a new close.
    /// </summary>
    public IAsyncEnumerable<CandleRevision> Revisions(CancellationToken cancellationToken = default) => Subscriber.ReadRevisionsAsync(cancellationToken);

    /// <summary>
    /// The books of the instruments held, where their venue has one: the current book first, then the latest view after
    /// each change (conflated per instrument for a slow reader). Needs <see cref="SubscriberOptions.Books"/>.
    /// </summary>
    public IAsyncEnumerable<BookView> Books(CancellationToken cancellationToken = default)
    {
        RequireBooks();
        return Subscriber.ReadBooksAsync(cancellationToken);
    }

    /// <summary>Calls <paramref name="handler"/> for every tick, on a task of its own (never the hub's thread).</summary>
    public MarketSubscription OnTick(Action<Tick> handler)
    {
        StartPump(async token =>
        {
            while (await Subscriber.WaitToReadTicksAsync(token).ConfigureAwait(false))
            {
                while (Subscriber.TryReadTick(out Tick tick))
                {
                    Invoke(handler, tick);
                }
            }
        });
        return this;
    }

    public MarketSubscription OnCandle(Action<CandleEvent> handler)
    {
        StartPump(async token =>
        {
            while (await Subscriber.WaitToReadCandlesAsync(token).ConfigureAwait(false))
            {
                while (Subscriber.TryReadCandle(out CandleEvent candle))
                {
                    Invoke(handler, candle);
                }
            }
        });
        return this;
    }

    /// <summary>Calls <paramref name="handler"/> for every revision of a closed bar (see <see cref="Revisions"/>), on a task of its own.</summary>
    public MarketSubscription OnCandleRevised(Action<CandleRevision> handler)
    {
        StartPump(async token =>
        {
            while (await Subscriber.WaitToReadRevisionsAsync(token).ConfigureAwait(false))
            {
                while (Subscriber.TryReadRevision(out CandleRevision revision))
                {
                    Invoke(handler, revision);
                }
            }
        });
        return this;
    }

    /// <summary>Calls <paramref name="handler"/> with every book view (see <see cref="Books"/>), on a task of its own.</summary>
    public MarketSubscription OnBook(Action<BookView> handler)
    {
        RequireBooks();
        StartPump(async token =>
        {
            while (await Subscriber.WaitToReadBooksAsync(token).ConfigureAwait(false))
            {
                while (Subscriber.TryReadBook(out BookView? book))
                {
                    Invoke(handler, book);
                }
            }
        });
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        List<InstrumentId> watched;
        lock (_gate)
        {
            watched = [.. _held.Keys];
            foreach ((_, Lease lease) in _held.Values)
            {
                lease.Dispose();
            }

            _held.Clear();
        }

        _host.Hub.RemoveSubscriber(Subscriber, watched);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_pumps).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private void RequireBooks()
    {
        if (!Subscriber.WantsBooks)
        {
            throw new InvalidOperationException("Subscribe with SubscriberOptions { Books = true } to read books.");
        }
    }

    private void StartPump(Func<CancellationToken, Task> pump)
    {
        CancellationToken token = _stopping.Token;
        lock (_gate)
        {
            _pumps.Add(Task.Run(() => pump(token), CancellationToken.None));
        }
    }

    private void Invoke<T>(Action<T> handler, T item)
    {
        try
        {
            handler(item);
        }
        catch (Exception e)
        {
            Subscriber.CountCallbackError();
            SubscriptionLog.CallbackFailed(_logger, e);
        }
    }
}
