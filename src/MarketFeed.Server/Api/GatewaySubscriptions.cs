using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Server.Api;

/// <summary>
/// The gateway's own subscriptions (POST/DELETE /api/subscriptions, the dashboard's tiles): leases held by the
/// server itself, one lease set per mode, receiving nothing (streaming clients hold their own).
/// </summary>
public sealed class GatewaySubscriptions(MarketFeedHost host) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<FeedMode, MarketSubscription> _byMode = [];
    private readonly Dictionary<InstrumentId, (Instrument Instrument, FeedMode Mode)> _current = [];

    public IReadOnlyList<(Instrument Instrument, FeedMode Mode)> Current
    {
        get
        {
            lock (_gate)
            {
                return [.. _current.Values.OrderBy(v => v.Instrument.Symbol, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Subscribes every symbol or none: an unknown one throws <see cref="UnknownSymbolException"/> first.</summary>
    public IReadOnlyList<Instrument> Add(IEnumerable<string> symbols, FeedMode mode)
    {
        Instrument[] instruments = symbols.Select(host.Resolve).ToArray();
        lock (_gate)
        {
            foreach (Instrument instrument in instruments)
            {
                if (_current.TryGetValue(instrument.Id, out (Instrument Instrument, FeedMode Mode) existing) && existing.Mode != mode)
                {
                    _byMode[existing.Mode].Remove(instrument.Symbol);
                }

                SubscriptionFor(mode).Add(instrument);
                _current[instrument.Id] = (instrument, mode);
            }
        }

        return instruments;
    }

    public bool Remove(string symbol)
    {
        Instrument instrument = host.Resolve(symbol);
        lock (_gate)
        {
            if (!_current.Remove(instrument.Id, out (Instrument Instrument, FeedMode Mode) held))
            {
                return false;
            }

            _byMode[held.Mode].Remove(instrument.Symbol);
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (MarketSubscription subscription in _byMode.Values)
        {
            await subscription.DisposeAsync();
        }
    }

    private MarketSubscription SubscriptionFor(FeedMode mode)
    {
        if (!_byMode.TryGetValue(mode, out MarketSubscription? subscription))
        {
            subscription = host.Subscribe([], new SubscriberOptions { Mode = mode, Ticks = false });
            _byMode[mode] = subscription;
        }

        return subscription;
    }
}
