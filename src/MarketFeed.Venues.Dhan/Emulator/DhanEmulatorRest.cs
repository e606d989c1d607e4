using System.Globalization;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Emulators.Faults;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// The emulator's REST side (): the scrip master CSV (no credentials), <c>POST /marketfeed/ltp|ohlc|quote</c>
/// with segment → security id arrays (at most 1,000), <c>POST /charts/intraday</c> and <c>/charts/historical</c> with
/// column arrays and true epoch timestamps. Credentials in the <c>access-token</c> and <c>client-id</c> headers; Dhan's
/// error bodies (DH-901 auth 401, DH-904 rate limit 429, DH-905 input 400); <c>restdown</c> answers 503.
/// </summary>
internal sealed class DhanEmulatorRest(DhanEmulatorMarket market, EmulatorFaults faults, DhanEmulatorOptions options, Action authRejected, Action<DhanEmulatorSecurity, Tick> moved)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api-data/api-scrip-master.csv", () => Results.Text(market.ScripMasterCsv(), "text/csv"));
        app.MapPost("/marketfeed/ltp", (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, body => Quotes(body, "ltp"))));
        app.MapPost("/marketfeed/ohlc", (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, body => Quotes(body, "ohlc"))));
        app.MapPost("/marketfeed/quote", (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, body => Quotes(body, "quote"))));
        app.MapPost("/charts/intraday", (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, body => Chart(body, daily: false))));
        app.MapPost("/charts/historical", (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, body => Chart(body, daily: true))));
    }

    private static IResult Error(int status, string type, string code, string message) =>
        Results.Json(new { errorType = type, errorCode = code, errorMessage = message }, statusCode: status);

    private async Task<IResult> AnswerAsync(HttpContext context, Func<JsonElement, IResult> answer)
    {
        if (faults.RejectAuth || context.Request.Headers["access-token"] != options.AccessToken || context.Request.Headers["client-id"] != options.ClientId)
        {
            authRejected();
            return Error(401, "Invalid_Authentication", "DH-901", "Client ID or user generated access token is invalid or expired.");
        }

        if (faults.RestDown)
        {
            return Results.Text("Service Unavailable", "text/plain", statusCode: 503);
        }

        if (faults.TakeRateLimit())
        {
            context.Response.Headers.RetryAfter = "1";
            return Error(429, "Rate_Limit", "DH-904", "Too many requests on server from single user breaching rate limits.");
        }

        try
        {
            using JsonDocument body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return answer(body.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Error(400, "Input_Exception", "DH-905", "Missing required fields, bad values for parameters etc.");
        }
    }

    private IResult Quotes(JsonElement body, string kind)
    {
        DateTime now = DateTime.UtcNow;
        var data = new Dictionary<string, Dictionary<string, object>>();
        int count = 0;
        foreach (JsonProperty segment in body.EnumerateObject())
        {
            if (!DhanSegment.TryParse(segment.Name, out byte segmentByte))
            {
                return Error(400, "Input_Exception", "DH-905", $"unknown exchange segment {segment.Name}");
            }

            var bySecurity = new Dictionary<string, object>();
            foreach (JsonElement id in segment.Value.EnumerateArray())
            {
                count++;
                if (market.TryGet(segmentByte, id.GetInt32(), out DhanEmulatorSecurity? security))
                {
                    // A market nobody streams still moves: a quote older than a second is a new tick, reported like a streamed one.
                    Tick t = market.Current(security, now, TimeSpan.FromSeconds(1), out bool isNew);
                    if (isNew)
                    {
                        moved(security, t);
                    }

                    bySecurity[security.SecurityId.ToString(CultureInfo.InvariantCulture)] = kind switch
                    {
                        "ltp" => new { last_price = t.Ltp.ToDecimal() },
                        "ohlc" => new { last_price = t.Ltp.ToDecimal(), ohlc = Ohlc(in t) },
                        _ => QuoteJson(in t),
                    };
                }
            }

            data[segment.Name] = bySecurity;
        }

        return count > DhanRestClient.QuoteBatch
            ? Error(400, "Input_Exception", "DH-905", $"at most {DhanRestClient.QuoteBatch} instruments per request")
            : Results.Json(new { data, status = "success" });
    }

    private static object Ohlc(in Tick t) => new { open = Value(t.Open), close = Value(t.Close), high = Value(t.High), low = Value(t.Low) };

    private static decimal Value(Price price) => price.HasValue ? price.ToDecimal() : 0;

    private static long Units(Quantity quantity) => quantity.HasValue ? (long)quantity.ToDecimal() : 0;

    private static object QuoteJson(in Tick t)
    {
        object Side(DepthLevels levels, int count) => Enumerable.Range(0, MarketDepth.Levels)
            .Select(i => i < count
                ? new { quantity = Units(levels[i].Quantity), orders = levels[i].Orders, price = levels[i].Price.ToDecimal() }
                : new { quantity = 0L, orders = 0, price = 0m })
            .ToArray();
        return new
        {
            average_price = Value(t.Atp),
            buy_quantity = Units(t.BidQty),
            depth = new { buy = Side(t.Depth.Bids, t.Depth.BidCount), sell = Side(t.Depth.Asks, t.Depth.AskCount) },
            last_price = Value(t.Ltp),
            last_quantity = Units(t.Ltq),
            last_trade_time = TimeZones.ToZone(t.ExchangeTime, TimeZones.Kolkata).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture),
            net_change = t.Change.HasValue ? t.Change.ToDecimal() : 0,
            oi = Units(t.Oi),
            ohlc = Ohlc(in t),
            sell_quantity = Units(t.AskQty),
            volume = Units(t.Volume),
        };
    }

    private IResult Chart(JsonElement body, bool daily)
    {
        string segmentName = body.GetProperty("exchangeSegment").GetString() ?? "";
        if (!DhanSegment.TryParse(segmentName, out byte segment)
            || !int.TryParse(body.GetProperty("securityId").GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            || !market.TryGet(segment, id, out DhanEmulatorSecurity? security))
        {
            return Error(400, "Input_Exception", "DH-905", "invalid securityId or exchangeSegment");
        }

        string minutes = daily ? "" : body.GetProperty("interval").ValueKind == JsonValueKind.Number ? body.GetProperty("interval").GetRawText() : body.GetProperty("interval").GetString() ?? "";
        CandleInterval? interval = daily ? CandleInterval.OneDay : minutes switch
        {
            "1" or "5" or "15" or "25" or "60" => CandleInterval.FromLength(TimeSpan.FromMinutes(int.Parse(minutes, CultureInfo.InvariantCulture))),
            _ => null,
        };
        if (interval is not { } length)
        {
            return Error(400, "Input_Exception", "DH-905", "interval must be 1, 5, 15, 25 or 60");
        }

        DateTime Utc(string name)
        {
            string text = body.GetProperty(name).GetString() ?? "";
            DateTime local = DateTime.ParseExact(text, text.Length > 10 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return TimeZoneInfo.ConvertTimeToUtc(local, TimeZones.Kolkata);
        }

        DateTime from = Utc("fromDate");
        DateTime to = Utc("toDate");
        if (!daily && to - from > TimeSpan.FromDays(90))
        {
            return Error(400, "Input_Exception", "DH-905", "intraday data is served for at most 90 days per request");
        }

        IReadOnlyList<Candle> candles = faults.Revise([.. market.History(security, length, from, to).Where(c => c.Start < to)], security.Instrument.TickSize);
        return Results.Json(new
        {
            open = candles.Select(c => c.Open.ToDecimal()),
            high = candles.Select(c => c.High.ToDecimal()),
            low = candles.Select(c => c.Low.ToDecimal()),
            close = candles.Select(c => c.Close.ToDecimal()),
            volume = candles.Select(c => (long)c.Volume.ToDecimal()),
            timestamp = candles.Select(c => (c.Start - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond),
        });
    }
}
