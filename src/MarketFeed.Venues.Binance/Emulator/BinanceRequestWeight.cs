using System.Globalization;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Binance's IP request weight: every call adds its weight to the current UTC minute's total (the
/// <c>X-MBX-USED-WEIGHT-1M</c> header). Past the limit a call is refused with 429 and a Retry-After to the minute's
/// end; any call before that Retry-After has passed is banned with 418, for the first ban's length, doubling with each
/// further ban up to 3 days; after a ban, calls are weighed again. Safe from any thread.
/// </summary>
internal sealed class BinanceRequestWeight(int limitPerMinute, TimeSpan firstBan)
{
    private static readonly TimeSpan s_longestBan = TimeSpan.FromDays(3);
    private readonly Lock _gate = new();
    private long _minute;
    private int _used;
    private int _bans;
    private DateTime _backOffUntil;
    private DateTime _bannedUntil;

    public int Limit => limitPerMinute;

    public int Used(DateTime now)
    {
        lock (_gate)
        {
            Roll(now);
            return _used;
        }
    }

    /// <summary>Counts a call of <paramref name="weight"/>; null when it may be answered. <paramref name="faultLimited"/> (the <c>ratelimit</c> fault) is asked only when the call is not already refused.</summary>
    public BinanceRejection? Admit(DateTime now, int weight, Func<bool> faultLimited)
    {
        lock (_gate)
        {
            Roll(now);
            if (now < _bannedUntil)
            {
                return Banned(now);
            }

            if (now < _backOffUntil)
            {
                // A call inside the Retry-After of a 429: the client ignored it.
                TimeSpan length = TimeSpan.FromTicks(Math.Min(s_longestBan.Ticks, firstBan.Ticks << Math.Min(_bans, 20)));
                _bans++;
                _bannedUntil = now + length;

                // After the ban the weight decides again: still over the limit is another 429.
                _backOffUntil = default;
                return Banned(now);
            }

            if (faultLimited())
            {
                _backOffUntil = now.AddSeconds(1);
                return TooMuch(1);
            }

            _used += weight;
            if (_used > limitPerMinute)
            {
                DateTime minuteEnd = new DateTime(_minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1);
                _backOffUntil = minuteEnd;
                return TooMuch((long)Math.Ceiling((minuteEnd - now).TotalSeconds));
            }

            return null;
        }
    }

    /// <summary>Bans the IP now, for <paramref name="length"/> (the <c>ban</c> fault).</summary>
    public void Ban(DateTime now, TimeSpan length)
    {
        lock (_gate)
        {
            _bannedUntil = now + length;
        }
    }

    /// <summary>Lifts a ban and any back-off (<c>-ban</c>).</summary>
    public void Lift()
    {
        lock (_gate)
        {
            _bannedUntil = default;
            _backOffUntil = default;
            _bans = 0;
        }
    }

    public DateTime BannedUntil
    {
        get
        {
            lock (_gate)
            {
                return _bannedUntil;
            }
        }
    }

    private void Roll(DateTime now)
    {
        long minute = now.Ticks / TimeSpan.TicksPerMinute;
        if (minute != _minute)
        {
            _minute = minute;
            _used = 0;
        }
    }

    private BinanceRejection TooMuch(long retryAfter) => new(429, Math.Max(1, retryAfter), string.Create(CultureInfo.InvariantCulture,
        $"Too much request weight used; current limit is {limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."));

    private BinanceRejection Banned(DateTime now) => new(418, Math.Max(1, (long)Math.Ceiling((_bannedUntil - now).TotalSeconds)), string.Create(CultureInfo.InvariantCulture,
        $"Way too much request weight used; IP banned until {BinanceJson.UnixMilliseconds(_bannedUntil)}. Please use WebSocket Streams for live updates to avoid bans."));
}
