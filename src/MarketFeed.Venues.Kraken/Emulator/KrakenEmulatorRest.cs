using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// Kraken's public REST endpoints on the emulator's market: <c>/0/public/Time</c>, <c>AssetPairs</c>, <c>OHLC</c>
/// and <c>Ticker</c>, answered in Kraken's envelope (<c>{"error":[],"result":{…}}</c>, errors with HTTP 200). Every
/// call passes the faults (Cloudflare's 403 for <c>auth</c>, 503 for <c>restdown</c>, <c>EAPI:Rate limit exceeded</c>
/// for <c>ratelimit</c>) and a per-second budget per client address. Pairs are named as REST names them
/// (<c>XXBTZUSD</c>, or the altname <c>XBTUSD</c>); results are keyed by the REST name.
/// </summary>
internal sealed class KrakenEmulatorRest(KrakenEmulatorMarket market, KrakenEmulatorFaults faults, int callsPerSecond, Action rejected)
{
    private const string CloudflarePage = "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>cloudflare</center></body></html>";
    private static readonly int[] s_intervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];
    private readonly ConcurrentDictionary<string, Queue<DateTime>> _calls = new(StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        app.MapGet("/0/public/Time", (HttpContext c) => Serve(c, () => Ok(string.Create(CultureInfo.InvariantCulture,
            $"{{\"unixtime\":{(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond},\"rfc1123\":\"{DateTime.UtcNow:R}\"}}"))));
        app.MapGet("/0/public/AssetPairs", (HttpContext c) => Serve(c, AssetPairs));
        app.MapGet("/0/public/OHLC", (HttpContext c) => Serve(c, () => Ohlc(c.Request.Query)));
        app.MapGet("/0/public/Ticker", (HttpContext c) => Serve(c, () => Ticker(c.Request.Query)));
    }

    private async Task Serve(HttpContext context, Func<string> answer)
    {
        HttpResponse response = context.Response;
        if (faults.Shared.RejectAuth)
        {
            rejected();
            response.StatusCode = StatusCodes.Status403Forbidden;
            response.ContentType = "text/html";
            await response.WriteAsync(CloudflarePage);
            return;
        }

        if (faults.Shared.RestDown)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(Error("EService:Unavailable"));
            return;
        }

        string body = OverBudget(context.Connection.RemoteIpAddress?.ToString() ?? "") || faults.Shared.TakeRateLimit()
            ? Error("EAPI:Rate limit exceeded")
            : answer();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body);
    }

    private bool OverBudget(string client)
    {
        DateTime now = DateTime.UtcNow;
        Queue<DateTime> calls = _calls.GetOrAdd(client, _ => new Queue<DateTime>());
        lock (calls)
        {
            while (calls.TryPeek(out DateTime oldest) && now - oldest >= TimeSpan.FromSeconds(1))
            {
                calls.Dequeue();
            }

            calls.Enqueue(now);
            return calls.Count > callsPerSecond;
        }
    }

    private string AssetPairs()
    {
        var json = new StringBuilder(512 * market.Specs.Count);
        foreach (KrakenPairSpec s in market.Specs)
        {
            json.Append(json.Length == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"\"{s.RestPair}\":{{\"altname\":\"{s.AltName}\",\"wsname\":\"{s.WsName}\",\"aclass_base\":\"currency\",\"base\":\"{s.BaseAsset}\",\"aclass_quote\":\"currency\",\"quote\":\"{s.QuoteAsset}\",\"lot\":\"unit\",\"cost_decimals\":5,\"pair_decimals\":{s.PriceDecimals},\"lot_decimals\":{s.LotDecimals},\"lot_multiplier\":1,\"fee_volume_currency\":\"ZUSD\",\"margin_call\":80,\"margin_stop\":40,\"ordermin\":\"{KrakenJson.Number(s.MinTradeLots * s.Lot, s.LotDecimals)}\",\"costmin\":\"0.5\",\"tick_size\":\"{s.TickSize.ToString(CultureInfo.InvariantCulture)}\",\"status\":\"online\"}}");
        }

        return Ok("{" + json + "}");
    }

    private string Ohlc(IQueryCollection query)
    {
        if (Pair(query["pair"].ToString()) is not { } spec)
        {
            return Error("EQuery:Unknown asset pair");
        }

        int minutes = 1;
        if (query.ContainsKey("interval") && (!int.TryParse(query["interval"], NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || !s_intervals.Contains(minutes)))
        {
            return Error("EGeneral:Invalid arguments:interval");
        }

        long since = 0;
        if (query.ContainsKey("since") && !long.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out since))
        {
            return Error("EGeneral:Invalid arguments:since");
        }

        return market.Ohlc(spec, minutes, since, DateTime.UtcNow);
    }

    private string Ticker(IQueryCollection query)
    {
        var specs = new List<KrakenPairSpec>();
        foreach (string name in query["pair"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Pair(name) is not { } spec)
            {
                return Error("EQuery:Unknown asset pair");
            }

            specs.Add(spec);
        }

        var json = new StringBuilder(256 * specs.Count);
        foreach (KrakenPairSpec s in (specs.Count == 0 ? market.Specs : specs).Distinct())
        {
            ((long Price, long Quantity) bid, (long Price, long Quantity) ask, long last, long quantity, _) = market.Latest(s.Symbol);
            string N(long raw) => KrakenJson.Number(raw, s.PriceDecimals);
            string Q(long raw) => KrakenJson.Number(raw, s.LotDecimals);
            json.Append(json.Length == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"\"{s.RestPair}\":{{\"a\":[\"{N(ask.Price)}\",\"1\",\"{Q(ask.Quantity)}\"],\"b\":[\"{N(bid.Price)}\",\"1\",\"{Q(bid.Quantity)}\"],\"c\":[\"{N(last)}\",\"{Q(quantity)}\"],\"v\":[\"0\",\"0\"],\"p\":[\"{N(last)}\",\"{N(last)}\"],\"t\":[0,0],\"l\":[\"{N(last)}\",\"{N(last)}\"],\"h\":[\"{N(last)}\",\"{N(last)}\"],\"o\":\"{N(last)}\"}}");
        }

        return Ok("{" + json + "}");
    }

    private KrakenPairSpec? Pair(string name) => market.Specs.FirstOrDefault(s => s.RestPair == name || s.AltName == name);

    private static string Ok(string result) => "{\"error\":[],\"result\":" + result + "}";

    private static string Error(string error) => "{\"error\":[\"" + error + "\"]}";
}
