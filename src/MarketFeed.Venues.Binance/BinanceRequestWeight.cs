using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance's REST budget for this IP: request weight per minute, counted in windows that start on the minute as
/// Binance's <c>X-MBX-USED-WEIGHT-1M</c> header counts it, and the pauses Binance orders. Every request reserves its
/// weight first: within the budget it goes at once, past it it waits for the next minute. Each response's header
/// raises the count to what Binance saw (other processes on the same IP count too). After a 429 nobody calls until
/// its <c>Retry-After</c> has passed; after a 418 (a ban) every call fails at once until the ban ends.
/// </summary>
internal sealed class BinanceRequestWeight(int budgetPerMinute, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _minute;
    private int _used;
    private long _loggedMinute = -1;
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _bannedUntil;

    public int Budget => budgetPerMinute;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Weight counted in the current minute (ours, or Binance's figure when higher).</summary>
    public int UsedThisMinute
    {
        get
        {
            lock (_gate)
            {
                Roll(time.GetUtcNow());
                return _used;
            }
        }
    }

    /// <summary>When the current ban ends, or null when there is none.</summary>
    public DateTimeOffset? BannedUntil
    {
        get
        {
            lock (_gate)
            {
                return time.GetUtcNow() < _bannedUntil ? _bannedUntil : null;
            }
        }
    }

    /// <summary>Waits until <paramref name="weight"/> fits this minute's budget and no pause is in force, then counts it.</summary>
    /// <exception cref="BinanceBanException">The IP is banned: fails at once rather than wait up to days.</exception>
    public async Task AcquireAsync(int weight, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                DateTimeOffset now = time.GetUtcNow();
                if (now < _bannedUntil)
                {
                    throw new BinanceBanException(_bannedUntil);
                }

                if (now < _pausedUntil)
                {
                    wait = _pausedUntil - now;
                }
                else
                {
                    Roll(now);

                    // A request heavier than the whole budget still goes, alone, in a fresh minute.
                    if (_used + weight <= budgetPerMinute || _used == 0)
                    {
                        _used += weight;
                        return;
                    }

                    wait = TimeSpan.FromMinutes(_minute + 1) - TimeSpan.FromTicks(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
                    if (_loggedMinute != _minute)
                    {
                        _loggedMinute = _minute;
                        Logger.WeightBudgetReached(_used, budgetPerMinute, wait);
                    }
                }
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Binance's own count for this minute, from a response header.</summary>
    public void Observe(int usedWeight)
    {
        lock (_gate)
        {
            Roll(time.GetUtcNow());
            _used = Math.Max(_used, usedWeight);
        }
    }

    /// <summary>HTTP 429: no call for <paramref name="retryAfter"/>.</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            DateTimeOffset until = time.GetUtcNow() + retryAfter;
            _pausedUntil = until > _pausedUntil ? until : _pausedUntil;
        }
    }

    /// <summary>HTTP 418: banned for <paramref name="retryAfter"/>. Returns when the ban ends.</summary>
    public DateTimeOffset Ban(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            DateTimeOffset until = time.GetUtcNow() + retryAfter;
            _bannedUntil = until > _bannedUntil ? until : _bannedUntil;
            return _bannedUntil;
        }
    }

    private void Roll(DateTimeOffset now)
    {
        long minute = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMinute;
        if (minute != _minute)
        {
            _minute = minute;
            _used = 0;
        }
    }
}
