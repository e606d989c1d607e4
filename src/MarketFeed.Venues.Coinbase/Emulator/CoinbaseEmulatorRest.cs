using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// Coinbase's public REST market endpoints on the emulator's market: products, a product's candles and its ticker.
/// Every call passes the faults (401 for <c>auth</c>, 503 for <c>restdown</c>, 429 for <c>ratelimit=N</c>) and a
/// per-second request budget (429 with <c>Retry-After: 1</c> past it) before it is answered.
/// </summary>
internal sealed class CoinbaseEmulatorRest(CoinbaseEmulatorMarket market, CoinbaseEmulatorFaults faults, int requestsPerSecond, Action rejected)
{
    private const string Market = "/api/v3/brokerage/market";
    private readonly Queue<DateTime> _recent = new();
    private readonly Lock _gate = new();

    public void Map(WebApplication app)
    {
        app.MapGet(Market + "/products", (HttpContext c) => Serve(c, () => (200, CoinbaseJson.Products(market.Listing()))));
        app.MapGet(Market + "/products/{product}/candles", (HttpContext c, string product) => Serve(c, () => Candles(product, c.Request.Query)));
        app.MapGet(Market + "/products/{product}/ticker", (HttpContext c, string product) => Serve(c, () => Ticker(product, c.Request.Query)));
    }

    private async Task Serve(HttpContext context, Func<(int Status, string Json)> answer)
    {
        HttpResponse response = context.Response;
        (int status, string json) = faults.Shared.RejectAuth ? Rejected()
            : faults.Shared.RestDown ? (503, CoinbaseJson.RestError("UNAVAILABLE", "service unavailable"))
            : OverBudget() ? (429, CoinbaseJson.RestError("RATE_LIMIT_EXCEEDED", "Too many requests"))
            : answer();
        if (status == 429)
        {
            response.Headers.RetryAfter = "1";
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(json);
    }

    private (int, string) Rejected()
    {
        rejected();
        return (401, CoinbaseJson.RestError("UNAUTHORIZED", "Unauthorized"));
    }

    private bool OverBudget()
    {
        if (faults.Shared.TakeRateLimit())
        {
            return true;
        }

        DateTime now = DateTime.UtcNow;
        lock (_gate)
        {
            while (_recent.TryPeek(out DateTime oldest) && now - oldest >= TimeSpan.FromSeconds(1))
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= requestsPerSecond)
            {
                return true;
            }

            _recent.Enqueue(now);
            return false;
        }
    }

    private (int, string) Candles(string product, IQueryCollection query)
    {
        if (!market.Knows(product))
        {
            return (404, CoinbaseJson.RestError("NOT_FOUND", $"product {product} not found"));
        }

        long seconds = query["granularity"].ToString() switch
        {
            "ONE_MINUTE" => 60,
            "FIVE_MINUTE" => 300,
            "FIFTEEN_MINUTE" => 900,
            "THIRTY_MINUTE" => 1800,
            "ONE_HOUR" => 3600,
            "TWO_HOUR" => 7200,
            "SIX_HOUR" => 21600,
            "ONE_DAY" => 86400,
            _ => 0,
        };
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (seconds == 0 || !long.TryParse(query["start"], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(query["end"], NumberStyles.None, CultureInfo.InvariantCulture, out long end) || end < start)
        {
            return (400, CoinbaseJson.RestError("INVALID_ARGUMENT", "start, end and granularity are required"));
        }

        int limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? l : 350;
        if (limit is < 1 or > 350 || (end - start) / seconds > 350)
        {
            return (400, CoinbaseJson.RestError("INVALID_ARGUMENT", "number of candles requested should be less than 350"));
        }

        return (200, market.Candles(product, seconds, start, end, limit, now));
    }

    private (int, string) Ticker(string product, IQueryCollection query)
    {
        if (!market.Knows(product))
        {
            return (404, CoinbaseJson.RestError("NOT_FOUND", $"product {product} not found"));
        }

        int limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? Math.Clamp(l, 1, CoinbaseEmulatorProduct.RecentTrades) : 1;
        (IReadOnlyList<CoinbaseTrade> trades, long bid, long ask) = market.Quote(product);
        return (200, CoinbaseJson.RestTicker(product, trades.Take(limit), bid, ask));
    }
}
