using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Binance's public REST endpoints on the emulator's market. Every call passes the faults (the WAF's 403 for
/// <c>auth</c>, 503 for <c>restdown</c>) and the request weight (429, then 418) before it is answered, and every
/// answer past the WAF carries <c>X-MBX-USED-WEIGHT-1M</c>. Symbols are matched exactly, upper case, as Binance does.
/// </summary>
internal sealed class BinanceEmulatorRest(BinanceEmulatorMarket market, BinanceEmulatorFaults faults, BinanceRequestWeight weight, Action rejected)
{
    private const string SymbolsRange = "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$";
    private const string WafPage = "<HTML><HEAD><TITLE>403 ERROR</TITLE></HEAD><BODY><H1>403 ERROR</H1>The request could not be satisfied. Request blocked.</BODY></HTML>";

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v3/ping", (HttpContext c) => Serve(c, 1, () => BinanceRestReply.Ok("{}")));
        app.MapGet("/api/v3/time", (HttpContext c) => Serve(c, 1, () => BinanceRestReply.Ok($"{{\"serverTime\":{BinanceJson.UnixMilliseconds(DateTime.UtcNow)}}}")));
        app.MapGet("/api/v3/exchangeInfo", (HttpContext c) => Serve(c, 20, () => ExchangeInfo(c.Request.Query)));
        app.MapGet("/api/v3/depth", (HttpContext c) => Serve(c, DepthWeight(c.Request.Query), () => Depth(c.Request.Query)));
        app.MapGet("/api/v3/klines", (HttpContext c) => Serve(c, 2, () => Klines(c.Request.Query)));
        app.MapGet("/api/v3/ticker/price", (HttpContext c) => Serve(c, TickerWeight(c.Request.Query), () => Tickers(c.Request.Query, Price)));
        app.MapGet("/api/v3/ticker/bookTicker", (HttpContext c) => Serve(c, TickerWeight(c.Request.Query), () => Tickers(c.Request.Query, BookTicker)));
    }

    private async Task Serve(HttpContext context, int requestWeight, Func<BinanceRestReply> answer)
    {
        HttpResponse response = context.Response;
        if (faults.Shared.RejectAuth)
        {
            rejected();
            response.StatusCode = StatusCodes.Status403Forbidden;
            response.ContentType = "text/html";
            await response.WriteAsync(WafPage);
            return;
        }

        if (faults.Shared.RestDown)
        {
            await WriteAsync(response, BinanceRestReply.Error(-1008, "Server is currently overloaded with other requests. Please try again in a few minutes.", 503));
            return;
        }

        DateTime now = DateTime.UtcNow;
        BinanceRejection? refusal = weight.Admit(now, requestWeight, faults.Shared.TakeRateLimit);
        response.Headers["X-MBX-USED-WEIGHT-1M"] = weight.Used(now).ToString(CultureInfo.InvariantCulture);
        if (refusal is { } r)
        {
            response.Headers.RetryAfter = r.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(response, BinanceRestReply.Error(-1003, r.Message, r.Status));
            return;
        }

        await WriteAsync(response, answer());
    }

    private static Task WriteAsync(HttpResponse response, BinanceRestReply reply)
    {
        response.StatusCode = reply.Status;
        response.ContentType = "application/json;charset=UTF-8";
        return response.WriteAsync(reply.Json);
    }

    private BinanceRestReply ExchangeInfo(IQueryCollection query)
    {
        if (!TrySymbols(query, out IReadOnlyList<string>? symbols, out BinanceRestReply error))
        {
            return error;
        }

        IEnumerable<BinanceSymbolSpec> listed = symbols is null ? market.Specs : symbols.Select(s => market.Specs.First(spec => spec.Symbol == s));
        return BinanceRestReply.Ok(BinanceExchangeInfo.Json(listed, weight.Limit, DateTime.UtcNow));
    }

    private static int DepthWeight(IQueryCollection query) =>
        int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out int limit) ? limit switch
        {
            <= 100 => 5,
            <= 500 => 25,
            <= 1000 => 50,
            _ => 250,
        } : 5;

    private BinanceRestReply Depth(IQueryCollection query)
    {
        string? symbol = query["symbol"];
        if (string.IsNullOrEmpty(symbol))
        {
            return BinanceRestReply.Mandatory("symbol");
        }

        if (!market.Knows(symbol))
        {
            return BinanceRestReply.InvalidSymbol;
        }

        int limit = 100;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return BinanceRestReply.Illegal("limit", "1-5000");
        }

        (long lastUpdateId, IReadOnlyList<BinanceLevel> bids, IReadOnlyList<BinanceLevel> asks) = market.Depth(symbol, Math.Min(limit, 5000));
        return BinanceRestReply.Ok(BinanceEventJson.Depth(lastUpdateId, bids, asks));
    }

    private BinanceRestReply Klines(IQueryCollection query)
    {
        string? symbol = query["symbol"];
        string? label = query["interval"];
        if (string.IsNullOrEmpty(symbol) || string.IsNullOrEmpty(label))
        {
            return BinanceRestReply.Mandatory(string.IsNullOrEmpty(symbol) ? "symbol" : "interval");
        }

        if (!market.Knows(symbol))
        {
            return BinanceRestReply.InvalidSymbol;
        }

        if (!TryOffset(query["timeZone"], out long offsetMs))
        {
            return BinanceRestReply.Error(-1100, $"Illegal characters found in parameter 'timeZone'; legal range is '[-12:00 to +14:00]'.");
        }

        if (BinanceKlineInterval.Parse(label, offsetMs) is not { } interval)
        {
            return BinanceRestReply.Error(-1120, "Invalid interval.");
        }

        int limit = 500;
        long? start = null;
        long? end = null;
        if (query.ContainsKey("limit") && !int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            return BinanceRestReply.Illegal("limit", "1-1000");
        }

        foreach ((string name, bool ok) in new[] { ("startTime", TryTime(query, "startTime", ref start)), ("endTime", TryTime(query, "endTime", ref end)) })
        {
            if (!ok)
            {
                return BinanceRestReply.Illegal(name, "0-9223372036854775807");
            }
        }

        if (start > end)
        {
            return BinanceRestReply.Error(-1023, "Start time is greater than end time.");
        }

        return BinanceRestReply.Ok(market.Klines(symbol, interval, start, end, Math.Clamp(limit, 1, 1000), BinanceJson.UnixMilliseconds(DateTime.UtcNow)));
    }

    private static int TickerWeight(IQueryCollection query) => query.ContainsKey("symbol") ? 2 : 4;

    private BinanceRestReply Tickers(IQueryCollection query, Func<string, string> one)
    {
        if (query.ContainsKey("symbol"))
        {
            if (query.ContainsKey("symbols"))
            {
                return BinanceRestReply.Error(-1128, "Combination of optional parameters invalid.");
            }

            string symbol = query["symbol"].ToString();
            return market.Knows(symbol) ? BinanceRestReply.Ok(one(symbol)) : BinanceRestReply.InvalidSymbol;
        }

        if (!TrySymbols(query, out IReadOnlyList<string>? symbols, out BinanceRestReply error))
        {
            return error;
        }

        return BinanceRestReply.Ok("[" + string.Join(',', (symbols ?? [.. market.Specs.Select(s => s.Symbol)]).Select(one)) + "]");
    }

    private string Price(string symbol) => $"{{\"symbol\":\"{symbol}\",\"price\":\"{BinanceJson.Decimal8(market.LastPrice(symbol))}\"}}";

    private string BookTicker(string symbol)
    {
        (BinanceLevel bid, BinanceLevel ask) = market.Top(symbol);
        return $"{{\"symbol\":\"{symbol}\",\"bidPrice\":\"{BinanceJson.Decimal8(bid.Price)}\",\"bidQty\":\"{BinanceJson.Decimal8(bid.Quantity)}\",\"askPrice\":\"{BinanceJson.Decimal8(ask.Price)}\",\"askQty\":\"{BinanceJson.Decimal8(ask.Quantity)}\"}}";
    }

    /// <summary><c>symbol=X</c> or <c>symbols=["X","Y"]</c> (URL-encoded JSON); null for all symbols.</summary>
    private bool TrySymbols(IQueryCollection query, out IReadOnlyList<string>? symbols, out BinanceRestReply error)
    {
        symbols = null;
        error = default;
        if (query.ContainsKey("symbol") && query.ContainsKey("symbols"))
        {
            error = BinanceRestReply.Error(-1128, "Combination of optional parameters invalid.");
            return false;
        }

        if (query.ContainsKey("symbol"))
        {
            symbols = [query["symbol"].ToString()];
        }
        else if (query.ContainsKey("symbols"))
        {
            try
            {
                symbols = JsonSerializer.Deserialize<string[]>(query["symbols"].ToString()) ?? throw new JsonException();
            }
            catch (JsonException)
            {
                error = BinanceRestReply.Illegal("symbols", SymbolsRange);
                return false;
            }
        }

        if (symbols?.Any(s => !market.Knows(s)) == true)
        {
            error = BinanceRestReply.InvalidSymbol;
            return false;
        }

        return true;
    }

    /// <summary>A time in ms; values past year 5138 in ms are taken as µs, as Binance accepts both.</summary>
    private static bool TryTime(IQueryCollection query, string name, ref long? time)
    {
        if (!query.ContainsKey(name))
        {
            return true;
        }

        if (!long.TryParse(query[name], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }

        time = value >= 100_000_000_000_000 ? value / 1000 : value;
        return true;
    }

    /// <summary><c>timeZone</c>: hours (<c>8</c>, <c>-1</c>) or hours and minutes (<c>05:45</c>, <c>-1:00</c>), from -12:00 to +14:00.</summary>
    private static bool TryOffset(string? text, out long offsetMs)
    {
        offsetMs = 0;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        bool negative = text.StartsWith('-');
        string[] parts = text.TrimStart('+', '-').Split(':');
        if (parts.Length > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(parts.Length == 2 ? parts[1] : "0", NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || minutes >= 60)
        {
            return false;
        }

        long offset = ((hours * 60) + minutes) * 60_000L * (negative ? -1 : 1);
        offsetMs = offset;
        return offset is >= -12 * 3_600_000L and <= 14 * 3_600_000L;
    }
}
