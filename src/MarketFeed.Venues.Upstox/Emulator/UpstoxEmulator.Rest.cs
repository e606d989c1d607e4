using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>The emulator's REST side: bearer-token check, the shared REST faults, LTP quotes and v3 candles.</summary>
public sealed partial class UpstoxEmulator
{
    private static readonly TimeSpan s_ist = TimeSpan.FromHours(5.5);

    private IResult Rest(HttpContext context, Func<IResult> answer)
    {
        if (!Authorized(context))
        {
            return Error(401, "UDAPI100050", "Invalid token used to access API");
        }

        if (Faults.RestDown)
        {
            return Results.Text("Service Unavailable", "text/plain", statusCode: 503);
        }

        if (Faults.TakeRateLimit())
        {
            context.Response.Headers.RetryAfter = "1";
            return Error(429, "UDAPI10005", "Too Many Request Sent");
        }

        return answer();
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { status = "error", errors = new[] { new { error_code = code, message, property_path = (string?)null, invalid_value = (string?)null } } }, statusCode: status);

    /// <summary><c>/v3/market-quote/ltp?instrument_key=a,b</c>: data keyed <c>SEGMENT:SYMBOL</c>, the pipe key in <c>instrument_token</c>.</summary>
    private IResult Ltp(HttpContext context)
    {
        DateTime now = DateTime.UtcNow;
        var data = new Dictionary<string, object>();
        string[] keys = context.Request.Query["instrument_key"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length > 500)
        {
            return Error(400, "UDAPI100042", "Maximum instrument key limit exceeded");
        }

        foreach (string key in keys)
        {
            if (!_market.TryGetInstrument(key, out Instrument? instrument))
            {
                continue;
            }

            Tick t = _market.Current(key, now, TimeSpan.FromSeconds(1 / Math.Max(0.01, _options.TicksPerInstrumentPerSecond)));
            data[UpstoxSegments.SegmentOf(key) + ":" + instrument.TradingSymbol] = new
            {
                last_price = t.Ltp.ToDecimal(),
                instrument_token = key,
                ltq = t.Ltq.HasValue ? (long)t.Ltq.ToDecimal() : 0,
                volume = t.Volume.HasValue ? (long)t.Volume.ToDecimal() : 0,
                cp = t.Close.HasValue ? t.Close.ToDecimal() : 0,
            };
        }

        return Results.Json(new { status = "success", data });
    }

    private IResult Historical(string key, string unit, int interval, string to, string? from)
    {
        if (!TryDate(to, out DateOnly toDay) || (from is not null && !TryDate(from, out _)))
        {
            return Error(400, "UDAPI1022", "Invalid date format: use yyyy-MM-dd");
        }

        DateOnly fromDay = from is null ? toDay.AddDays(-28) : DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UtcNow, TimeZones.Kolkata).DateTime);

        // The historical endpoint ends at yesterday; today's bars come from the intraday one.
        DateOnly last = toDay < today ? toDay : today.AddDays(-1);
        return Candles(key, unit, interval, Utc(fromDay), Utc(last.AddDays(1)));
    }

    private IResult Intraday(string key, string unit, int interval)
    {
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UtcNow, TimeZones.Kolkata).DateTime);
        return Candles(key, unit, interval, Utc(today), DateTime.MaxValue);
    }

    /// <summary>Closed bars that start in [<paramref name="startFrom"/>, <paramref name="startBefore"/>), newest first.</summary>
    private IResult Candles(string key, string unit, int interval, DateTime startFrom, DateTime startBefore)
    {
        TimeSpan? length = (unit, interval) switch
        {
            ("minutes", >= 1 and <= 300) => TimeSpan.FromMinutes(interval),
            ("hours", >= 1 and <= 5) => TimeSpan.FromHours(interval),
            ("days", 1) => TimeSpan.FromDays(1),
            _ => null,
        };
        if (length is null)
        {
            return Error(400, "UDAPI1015", "Invalid unit or interval");
        }

        if (!_market.TryGetInstrument(key, out Instrument? instrument))
        {
            return Error(400, "UDAPI100011", "Invalid Instrument key");
        }

        // One walk back from now for every request, so a historical and an intraday answer meet without a gap.
        DateTime now = DateTime.UtcNow;
        var candles = Faults.Revise(_market.History(key, CandleInterval.FromLength(length.Value), startFrom, now), instrument.TickSize)
            .Where(c => c.Start >= startFrom && c.Start < startBefore && c.End <= now)
            .OrderByDescending(c => c.Start)
            .Select(c => new object[]
            {
                new DateTimeOffset(DateTime.SpecifyKind(c.Start, DateTimeKind.Utc)).ToOffset(s_ist).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                c.Open.ToDecimal(), c.High.ToDecimal(), c.Low.ToDecimal(), c.Close.ToDecimal(), (long)c.Volume.ToDecimal(),
                (long)_market.CandleOpenInterest(key, c.Start, now).ToDecimal(),
            });
        return Results.Json(new { status = "success", data = new { candles } });
    }

    private static bool TryDate(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static DateTime Utc(DateOnly istDay) =>
        TimeZoneInfo.ConvertTimeToUtc(istDay.ToDateTime(TimeOnly.MinValue), TimeZones.Kolkata);
}
