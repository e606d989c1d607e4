using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;

namespace MarketFeed.Health;

/// <summary>
/// Derives health on demand from what the hub already records (last receive time, update count, source), the
/// instrument's session calendar and its feed's state, so the hot path pays nothing for it.
/// </summary>
public sealed class HealthMonitor(MarketHub hub, IReadOnlyList<IFeed> feeds)
{
    public InstrumentStatus Instrument(Instrument instrument)
    {
        DateTime now = hub.Time.GetUtcNow().UtcDateTime;
        QuoteSlot? slot = hub.Quotes.Slot(instrument.Id);
        long updates = slot?.Updates ?? 0;
        DateTime? last = slot?.LastReceive;
        long? ageMs = last is { } at ? (long)Math.Max(0, (now - at).TotalMilliseconds) : null;
        IFeed? feed = feeds.FirstOrDefault(f => f.Name == instrument.Feed);
        FeedState feedState = feed?.Health.State ?? FeedState.Stopped;

        // A venue that reports its market's status is believed over the calendar (holidays, special sessions).
        bool open = (feed as IMarketSessionSource)?.IsSessionOpen(instrument) ?? instrument.Calendar.IsOpen(now);

        InstrumentHealthState state;
        string? error = feed?.Health.InstrumentError(instrument.Id);
        if (feedState is FeedState.AuthFailed or FeedState.Disconnected or FeedState.Stopped || error is not null)
        {
            state = InstrumentHealthState.Error;
        }
        else if (!open)
        {
            state = InstrumentHealthState.Closed;
        }
        else if (updates == 0)
        {
            state = InstrumentHealthState.Initializing;
        }
        else
        {
            state = now - last!.Value > hub.Options.StalenessWindow ? InstrumentHealthState.Stale : InstrumentHealthState.Live;
        }

        return new InstrumentStatus(instrument.Symbol, instrument.Feed, state, ageMs, updates, slot?.Source, error);
    }

    public FeedStatus Feed(IFeed feed)
    {
        FeedHealth health = feed.Health;
        return new FeedStatus(
            feed.Name, health.State, health.Connections, health.Reconnects, health.LastError, Math.Round(health.MessagesPerSecond(), 1),
            health.MalformedFrames, health.OversizedFrames, health.UnknownInstruments, health.HandlerErrors, health.PollFailures, health.Simulated);
    }

    /// <summary>Feeds, and every instrument somebody currently wants, in symbol order.</summary>
    public MarketStatus Report()
    {
        var instruments = hub.Subscriptions.Desired()
            .Select(d => hub.Registry.TryGet(d.Instrument, out Instrument? i) ? i : null)
            .OfType<Instrument>()
            .OrderBy(i => i.Symbol, StringComparer.Ordinal)
            .Select(Instrument)
            .ToList();
        return new MarketStatus(feeds.Select(Feed).ToList(), instruments, hub.Quality());
    }
}
