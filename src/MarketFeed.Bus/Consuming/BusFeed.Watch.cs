using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Bus.Consuming;

/// <summary>The consumer's own pace: when reading starts, late subscribers, and the watch over the connection and producers.</summary>
public sealed partial class BusFeed
{
    /// <summary>
    /// What is read before anything is subscribed reaches no candle: reading starts once something is subscribed (the
    /// gateway's start symbols), or after <see cref="BusOptions.LoadTimeout"/> when nothing is.
    /// </summary>
    private async Task WaitForSubscribersAsync(FeedContext context, CancellationToken cancellationToken)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DesiredChange change) => subscribed.TrySetResult();
        context.Subscriptions.Changed += OnChanged;
        try
        {
            if (context.Subscriptions.Desired().Count == 0)
            {
                await Task.WhenAny(subscribed.Task, Task.Delay(_options.LoadTimeout, _time, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            context.Subscriptions.Changed -= OnChanged;
        }
    }

    /// <summary>A subscriber arriving after an instrument's last update gets its latest state at once.</summary>
    private void OnDesiredChanged(DesiredChange change)
    {
        if (_context is { } context && context.Subscriptions.IsWanted(change.Instrument) && Latest.TryGetValue(change.Instrument, out Tick latest))
        {
            latest.Seq = 0;
            context.Sink.TryPublish(in latest);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        long lastSecond = _time.GetTimestamp();
        long eventsAtLastSecond = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken).ConfigureAwait(false);
                BusConnection connection = _connection!;
                if (connection.State == "connected")
                {
                    Health.SetConnections(1);
                    Health.SetState(FeedState.Connected);
                }
                else if (connection.Error is { } error)
                {
                    Health.SetConnections(0);
                    Health.RecordError(error);
                    Health.SetState(error.Contains("refused the user name", StringComparison.Ordinal) ? FeedState.AuthFailed : FeedState.Disconnected, error);
                }

                DateTime now = _time.GetUtcNow().UtcDateTime;
                foreach (InstrumentId id in Producers.Instruments)
                {
                    string? problem = Producers.Problem(id, now) ?? ProducerErrors.GetValueOrDefault(id);
                    if (problem is null)
                    {
                        Health.ClearInstrumentError(id);
                    }
                    else
                    {
                        Health.RecordInstrumentError(id, problem);
                    }
                }

                TimeSpan elapsed = _time.GetElapsedTime(lastSecond);
                if (elapsed >= TimeSpan.FromSeconds(1))
                {
                    long events = Interlocked.Read(ref Counters.Events);
                    Volatile.Write(ref _rate, (events - eventsAtLastSecond) / elapsed.TotalSeconds);
                    eventsAtLastSecond = events;
                    lastSecond = _time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
