namespace MarketFeed.Time;

/// <summary>
/// A clock that moves only when told to. Timers created from it fire, in due order, on the thread that calls
/// <see cref="Advance"/> or <see cref="SetUtcNow"/>. Used by tests and by replay at maximum speed, so candle timers,
/// staleness and backoff behave exactly as with the system clock, only deterministically.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 20, 3, 45, 0, TimeSpan.Zero))
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "Time does not go backwards.");
        }

        SetUtcNow(GetUtcNow() + by);
    }

    /// <summary>When the next timer fires, or null when none is set.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Select(t => t.DueAt).Where(d => d is not null).Min();
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="target"/>, firing every timer due on the way at its due time.</summary>
    public void SetUtcNow(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                if (target < _now)
                {
                    throw new ArgumentOutOfRangeException(nameof(target), target, "Time does not go backwards.");
                }

                due = null;
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.DueAt is { } at && at <= target && (due is null || at < due.DueAt))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    _now = target;
                    return;
                }

                if (due.DueAt > _now)
                {
                    _now = due.DueAt!.Value;
                }

                due.DueAt = due.Period is { } period ? _now + period : null;
            }

            // Outside the lock: the callback may create, change or dispose timers.
            due.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            }

            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
