using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// Ticks for every streaming client through one hub subscriber: the hub's thread posts each tick once, not once per
/// client. This loop, on the thread pool and never on the hub's thread, encodes each tick once
/// (<see cref="TickMessageCache"/>) and offers it to every client holding the instrument, latest per instrument per
/// client (<see cref="PendingTicks"/>), waking each client at most once per pass however many of its instruments
/// ticked. When the loop itself falls behind, its hub mailbox conflates too (latest per instrument, counted in the
/// hub's <c>subscriberConflated</c>); ingest never waits for it.
/// </summary>
internal sealed class TickFanout : IAsyncDisposable
{
    /// <summary>Ticks handed out before the clients woken so far are woken: bounds the delay a long pass adds.</summary>
    private const int WakeEvery = 256;

    private readonly MarketFeedHost _host;
    private readonly TickMessageCache _cache;
    private readonly MarketSubscription _subscription;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private TickReceiver[][] _byInstrument = [];
    private long _conflated;
    private long _offered;
    private int _disposed;

    public TickFanout(MarketFeedHost host, TickMessageCache cache)
    {
        _host = host;
        _cache = cache;
        _subscription = host.Subscribe([], new SubscriberOptions { TickPolicy = TickQueuePolicy.ConflateLatest, CandleUpdates = false });
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Ticks replaced in a client's pending set by a newer one of the same instrument (all clients, since start).</summary>
    public long ClientConflated => Volatile.Read(ref _conflated);

    /// <summary>Ticks offered to clients (one per client per tick), since start.</summary>
    public long Offered => Volatile.Read(ref _offered);

    /// <summary>The hub subscriber the loop reads (its counters show what the loop itself conflated).</summary>
    public HubSubscriber Subscriber => _subscription.Subscriber;

    public void Add(Instrument instrument, TickReceiver receiver)
    {
        lock (_gate)
        {
            TickReceiver[] current = For(instrument.Id);
            if (Array.IndexOf(current, receiver) >= 0)
            {
                return;
            }

            Replace(instrument.Id, [.. current, receiver]);
            if (current.Length == 0)
            {
                _subscription.Add(instrument);
            }
        }
    }

    /// <summary>After this returns the loop offers the receiver nothing more of the instrument beyond a pass already under way.</summary>
    public void Remove(Instrument instrument, TickReceiver receiver)
    {
        lock (_gate)
        {
            TickReceiver[] current = For(instrument.Id);
            if (Array.IndexOf(current, receiver) < 0)
            {
                return;
            }

            Replace(instrument.Id, [.. current.Where(r => r != receiver)]);
            if (current.Length == 1)
            {
                _subscription.Remove(instrument.Symbol);
            }
        }

        receiver.Pending.Remove(instrument.Id);
    }

    /// <summary>Stops the loop and releases the hub subscriber; a second call does nothing (the gateway may be disposed twice).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        await _subscription.DisposeAsync();
        _stopping.Dispose();
    }

    private TickReceiver[] For(InstrumentId instrument)
    {
        TickReceiver[][] table = Volatile.Read(ref _byInstrument);
        return (uint)instrument.Value < (uint)table.Length ? table[instrument.Value] : [];
    }

    /// <summary>Copy-on-write under the gate, so the loop reads the table without a lock.</summary>
    private void Replace(InstrumentId instrument, TickReceiver[] receivers)
    {
        TickReceiver[][] table = [.. _byInstrument];
        if (instrument.Value >= table.Length)
        {
            int grown = Math.Max(instrument.Value + 1, table.Length * 2);
            table = [.. table, .. Enumerable.Repeat(Array.Empty<TickReceiver>(), grown - table.Length)];
        }

        table[instrument.Value] = receivers;
        Volatile.Write(ref _byInstrument, table);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        HubSubscriber subscriber = _subscription.Subscriber;
        var woken = new List<TickReceiver>();
        while (await subscriber.WaitToReadTicksAsync(cancellationToken))
        {
            int handed = 0;
            while (subscriber.TryReadTick(out Tick tick))
            {
                TickReceiver[] receivers = For(tick.Instrument);
                if (receivers.Length == 0)
                {
                    continue;
                }

                var pending = new PendingTick(tick.Instrument, tick.Seq, tick.ReceiveTime, _cache.Get(in tick, _host.Instruments.Get(tick.Instrument)));
                foreach (TickReceiver receiver in receivers)
                {
                    switch (receiver.Pending.Offer(in pending))
                    {
                        case OfferOutcome.First:
                            woken.Add(receiver);
                            break;
                        case OfferOutcome.Conflated:
                            _conflated++;
                            break;
                    }
                }

                _offered += receivers.Length;
                if (++handed % WakeEvery == 0)
                {
                    WakeAll(woken);
                }
            }

            WakeAll(woken);
        }
    }

    private static void WakeAll(List<TickReceiver> woken)
    {
        foreach (TickReceiver receiver in woken)
        {
            receiver.Wake();
        }

        woken.Clear();
    }
}
