using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// Finnhub's REST endpoints under <c>/api/v1</c> on the emulator's market: <c>/quote</c>, the symbol lists, and the
/// candle endpoints (HTTP 403 <c>You don't have access to this resource.</c> unless the plan is premium). The token
/// comes as <c>token</c> or <c>X-Finnhub-Token</c>; none is answered 429 "Please sign up", a wrong one (or the
/// <c>auth</c> fault) 401. Each token has <see cref="FinnhubEmulatorOptions.CallsPerMinute"/> calls in each UTC minute
/// and 30 a second; past either, and for <c>ratelimit=N</c>, 429 <c>API limit reached.</c> with <c>X-RateLimit-*</c>.
/// </summary>
internal sealed class FinnhubEmulatorRest(FinnhubEmulatorMarket market, FinnhubEmulatorFaults faults, FinnhubEmulatorOptions options, Action rejected, Action<string, long> quoted)
{
    private const int CallsPerSecond = 30;
    private readonly Lock _gate = new();
    private long _minute;
    private int _usedMinute;
    private long _second;
    private int _usedSecond;

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v1/quote", (HttpContext c) => Serve(c, () => Quote(c.Request.Query["symbol"].ToString())));
        app.MapGet("/api/v1/stock/symbol", (HttpContext c) => Serve(c, () => List(FinnhubSymbolKind.Stock, c.Request.Query["exchange"].ToString())));
        app.MapGet("/api/v1/crypto/symbol", (HttpContext c) => Serve(c, () => List(FinnhubSymbolKind.Crypto, c.Request.Query["exchange"].ToString())));
        app.MapGet("/api/v1/forex/symbol", (HttpContext c) => Serve(c, () => List(FinnhubSymbolKind.Forex, c.Request.Query["exchange"].ToString())));
        foreach (string kind in new[] { "stock", "crypto", "forex" })
        {
            app.MapGet($"/api/v1/{kind}/candle", (HttpContext c) => Serve(c, () => Candles(c.Request.Query)));
        }
    }

    private async Task Serve(HttpContext context, Func<(int Status, string Json)> answer)
    {
        HttpResponse response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        string token = context.Request.Headers["X-Finnhub-Token"].ToString() is { Length: > 0 } header ? header : context.Request.Query["token"].ToString();
        if (faults.Shared.RestDown)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(FinnhubJson.Error("Service unavailable"));
            return;
        }

        if (token.Length == 0)
        {
            rejected();
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            await response.WriteAsync(FinnhubJson.Error("API limit reached. Please sign up for a free account to get 60 API calls/minute."));
            return;
        }

        if (faults.Shared.RejectAuth || token != options.Token)
        {
            rejected();
            response.StatusCode = StatusCodes.Status401Unauthorized;
            await response.WriteAsync(FinnhubJson.Error("Invalid API key"));
            return;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        (bool allowed, int remaining, long reset) = Admit(now);
        response.Headers["X-RateLimit-Limit"] = options.CallsPerMinute.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
        if (!allowed || faults.Shared.TakeRateLimit())
        {
            if (allowed)
            {
                // An injected 429 asks for a short pause: the next second.
                response.Headers["X-RateLimit-Reset"] = (now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);
            }

            response.StatusCode = StatusCodes.Status429TooManyRequests;
            await response.WriteAsync(FinnhubJson.Error("API limit reached. Please try again later. Remaining Limit: 0"));
            return;
        }

        (int status, string json) = answer();
        response.StatusCode = status;
        await response.WriteAsync(json);
    }

    /// <summary>Counts a call against this minute's and this second's budget; the remaining calls and when the minute resets (Unix seconds).</summary>
    private (bool Allowed, int Remaining, long Reset) Admit(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        lock (_gate)
        {
            if (second / 60 != _minute)
            {
                (_minute, _usedMinute) = (second / 60, 0);
            }

            if (second != _second)
            {
                (_second, _usedSecond) = (second, 0);
            }

            long reset = (_minute + 1) * 60;
            if (_usedMinute >= options.CallsPerMinute || _usedSecond >= CallsPerSecond)
            {
                return (false, 0, reset);
            }

            _usedMinute++;
            _usedSecond++;
            return (true, options.CallsPerMinute - _usedMinute, reset);
        }
    }

    private (int, string) Quote(string symbol)
    {
        var quote = market.Quote(symbol);
        if (quote is { } q)
        {
            quoted(symbol, q.Last);
        }

        return (200, FinnhubJson.QuoteOf(quote));
    }

    private (int, string) List(FinnhubSymbolKind kind, string exchange)
    {
        string expected = kind switch
        {
            FinnhubSymbolKind.Crypto => FinnhubEmulatorUniverse.CryptoExchange,
            FinnhubSymbolKind.Forex => FinnhubEmulatorUniverse.ForexExchange,
            _ => FinnhubEmulatorUniverse.StockExchange,
        };
        if (exchange.Length == 0)
        {
            return (422, FinnhubJson.Error("Wrong exchange code"));
        }

        return (200, FinnhubJson.Symbols(string.Equals(exchange, expected, StringComparison.OrdinalIgnoreCase) ? market.Specs.Where(s => s.Kind == kind) : []));
    }

    private (int, string) Candles(IQueryCollection query)
    {
        if (!options.PremiumCandles)
        {
            return (403, FinnhubJson.Error("You don't have access to this resource."));
        }

        int? minutes = query["resolution"].ToString() switch
        {
            "1" => 1,
            "5" => 5,
            "15" => 15,
            "30" => 30,
            "60" => 60,
            "D" => 1440,
            _ => null,
        };
        if (minutes is not { } length
            || !long.TryParse(query["from"], NumberStyles.None, CultureInfo.InvariantCulture, out long from)
            || !long.TryParse(query["to"], NumberStyles.None, CultureInfo.InvariantCulture, out long to))
        {
            return (422, FinnhubJson.Error("Wrong resolution or time range"));
        }

        return (200, FinnhubJson.Candles(market.Bars(query["symbol"].ToString(), length, from, to, DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
    }
}
