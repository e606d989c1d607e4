using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketFeed.Venues.Binance.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Binance.Emulator;

/// <summary>The Binance emulator's REST endpoints with a plain HttpClient: documents, weights, 429 and 418, faults.</summary>
public class BinanceEmulatorRestTests
{
    private const long Minute = 60_000;

    [Fact]
    public async Task Every_answer_carries_the_used_weight_and_ignoring_a_429_gets_a_418_ban()
    {
        await WaitForAFreshMinuteAsync();
        await using BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { WeightPerMinute = 100, BanDuration = TimeSpan.FromSeconds(2) });
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        async Task<HttpResponseMessage> Get(string path, HttpStatusCode status, int weight)
        {
            HttpResponseMessage response = await http.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(weight.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single());
            return response;
        }

        await Get("/api/v3/ticker/price?symbol=BTCUSDT", HttpStatusCode.OK, 2);
        await Get("/api/v3/ticker/bookTicker", HttpStatusCode.OK, 6);
        await Get("/api/v3/exchangeInfo", HttpStatusCode.OK, 26);
        await Get("/api/v3/depth?symbol=BTCUSDT", HttpStatusCode.OK, 31);
        await Get("/api/v3/depth?symbol=BTCUSDT&limit=1000", HttpStatusCode.OK, 81);
        await Get("/api/v3/klines?symbol=BTCUSDT&interval=1m", HttpStatusCode.OK, 83);
        HttpResponseMessage limited = await Get("/api/v3/depth?symbol=BTCUSDT&limit=500", (HttpStatusCode)429, 108);
        Assert.InRange(RetryAfter(limited), 1, 60);
        Assert.Equal(-1003, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());

        // Calling again inside the Retry-After: banned.
        HttpResponseMessage banned = await Get("/api/v3/ping", (HttpStatusCode)418, 108);
        Assert.InRange(RetryAfter(banned), 1, 2);
        Assert.Contains("IP banned until", (await banned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("msg").GetString(), StringComparison.Ordinal);
        await Get("/api/v3/ping", (HttpStatusCode)418, 108);

        // The ban over, the minute's weight is still spent: 429 again, and the next ban is twice as long.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await Get("/api/v3/ping", (HttpStatusCode)429, 109);
        Assert.InRange(RetryAfter(await Get("/api/v3/ping", (HttpStatusCode)418, 109)), 3, 4);
    }

    [Fact]
    public async Task Ratelimit_answers_429_then_418_if_ignored_ban_answers_418_and_auth_and_restdown_fail_every_call()
    {
        await using BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { BanDuration = TimeSpan.FromSeconds(30), Faults = "ratelimit=2" });
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        HttpResponseMessage first = await http.GetAsync("/api/v3/ping");
        Assert.Equal((HttpStatusCode)429, first.StatusCode);
        Assert.Equal(1, RetryAfter(first));
        await Task.Delay(1_100);
        Assert.Equal((HttpStatusCode)429, (await http.GetAsync("/api/v3/ping")).StatusCode);
        HttpResponseMessage ignored = await http.GetAsync("/api/v3/ping");
        Assert.Equal((HttpStatusCode)418, ignored.StatusCode);
        Assert.InRange(RetryAfter(ignored), 29, 30);

        emulator.SetFaults("-ban");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v3/ping")).StatusCode);
        emulator.SetFaults("ban=90");
        HttpResponseMessage bannedByFault = await http.GetAsync("/api/v3/time");
        Assert.Equal((HttpStatusCode)418, bannedByFault.StatusCode);
        Assert.InRange(RetryAfter(bannedByFault), 89, 90);
        emulator.SetFaults("-ban,auth");

        HttpResponseMessage waf = await http.GetAsync("/api/v3/ping");
        Assert.Equal(HttpStatusCode.Forbidden, waf.StatusCode);
        Assert.False(waf.Headers.Contains("X-MBX-USED-WEIGHT-1M"));
        emulator.SetFaults("-auth,restdown");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/api/v3/ping")).StatusCode);
        emulator.SetFaults("-restdown");
        Assert.Equal("{}", await http.GetStringAsync("/api/v3/ping"));
    }

    [Fact]
    public async Task ExchangeInfo_lists_the_symbols_with_binances_filters()
    {
        await using BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 0 });
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        JsonElement info = await http.GetFromJsonAsync<JsonElement>("/api/v3/exchangeInfo");
        Assert.Equal("UTC", info.GetProperty("timezone").GetString());
        JsonElement weight = info.GetProperty("rateLimits").EnumerateArray().Single(r => r.GetProperty("rateLimitType").GetString() == "REQUEST_WEIGHT");
        Assert.Equal(("MINUTE", 1, 6000), (weight.GetProperty("interval").GetString(), weight.GetProperty("intervalNum").GetInt32(), weight.GetProperty("limit").GetInt32()));
        Dictionary<string, JsonElement> symbols = info.GetProperty("symbols").EnumerateArray().ToDictionary(s => s.GetProperty("symbol").GetString()!);
        Assert.Equal(["BNBUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"], symbols.Keys.Order());
        foreach ((string symbol, string baseAsset, string tick, string step) in new[]
        {
            ("BTCUSDT", "BTC", "0.01000000", "0.00001000"), ("ETHUSDT", "ETH", "0.01000000", "0.00010000"), ("XRPUSDT", "XRP", "0.00010000", "0.10000000"),
        })
        {
            JsonElement s = symbols[symbol];
            Assert.Equal(("TRADING", baseAsset, "USDT"), (s.GetProperty("status").GetString(), s.GetProperty("baseAsset").GetString(), s.GetProperty("quoteAsset").GetString()));
            Dictionary<string, JsonElement> filters = s.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!);
            Assert.Equal(tick, filters["PRICE_FILTER"].GetProperty("tickSize").GetString());
            Assert.Equal(tick, filters["PRICE_FILTER"].GetProperty("minPrice").GetString());
            Assert.Equal(step, filters["LOT_SIZE"].GetProperty("stepSize").GetString());
            Assert.Equal(step, filters["LOT_SIZE"].GetProperty("minQty").GetString());
        }

        JsonElement two = await http.GetFromJsonAsync<JsonElement>("/api/v3/exchangeInfo?symbols=" + Uri.EscapeDataString("[\"ETHUSDT\",\"SOLUSDT\"]"));
        Assert.Equal(["ETHUSDT", "SOLUSDT"], two.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
        HttpResponseMessage unknown = await http.GetAsync("/api/v3/exchangeInfo?symbol=DOGEUSDT");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Depth_and_tickers_show_the_same_book()
    {
        await using BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        emulator.Freeze(true);
        JsonElement depth = await http.GetFromJsonAsync<JsonElement>("/api/v3/depth?symbol=ETHUSDT&limit=5");
        decimal[] bids = [.. depth.GetProperty("bids").EnumerateArray().Select(l => BinanceEmulatorStreamTests.Number(l[0]))];
        decimal[] asks = [.. depth.GetProperty("asks").EnumerateArray().Select(l => BinanceEmulatorStreamTests.Number(l[0]))];
        Assert.Equal(5, bids.Length);
        Assert.Equal(bids.OrderDescending(), bids);
        Assert.Equal(asks.Order(), asks);
        Assert.True(bids[0] < asks[0]);

        JsonElement ticker = await http.GetFromJsonAsync<JsonElement>("/api/v3/ticker/bookTicker?symbol=ETHUSDT");
        Assert.Equal(["symbol", "bidPrice", "bidQty", "askPrice", "askQty"], BinanceEmulatorStreamTests.Names(ticker));
        Assert.Equal(depth.GetProperty("bids")[0][0].GetString(), ticker.GetProperty("bidPrice").GetString());
        Assert.Equal(depth.GetProperty("bids")[0][1].GetString(), ticker.GetProperty("bidQty").GetString());
        Assert.Equal(depth.GetProperty("asks")[0][0].GetString(), ticker.GetProperty("askPrice").GetString());

        JsonElement prices = await http.GetFromJsonAsync<JsonElement>("/api/v3/ticker/price?symbols=" + Uri.EscapeDataString("[\"BTCUSDT\",\"XRPUSDT\"]"));
        Assert.Equal(["BTCUSDT", "XRPUSDT"], prices.EnumerateArray().Select(p => p.GetProperty("symbol").GetString()));
        Assert.All(prices.EnumerateArray(), p => Assert.True(BinanceEmulatorStreamTests.Number(p.GetProperty("price")) > 0));
        Assert.Equal(5, (await http.GetFromJsonAsync<JsonElement>("/api/v3/ticker/price")).GetArrayLength());
        Assert.Equal(1000, (await http.GetFromJsonAsync<JsonElement>("/api/v3/depth?symbol=BTCUSDT&limit=6000")).GetProperty("asks").GetArrayLength());
        Assert.Equal(-1102, (await (await http.GetAsync("/api/v3/depth")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Equal(-1121, (await (await http.GetAsync("/api/v3/ticker/price?symbol=btcusdt")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Klines_are_utc_aligned_rows_in_binances_format_from_a_deterministic_past()
    {
        await using BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        async Task<JsonElement[]> Klines(string query) => [.. (await http.GetFromJsonAsync<JsonElement>("/api/v3/klines?symbol=BTCUSDT&" + query)).EnumerateArray()];
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        JsonElement[] minutes = await Klines("interval=1m&limit=10");
        Assert.Equal(10, minutes.Length);
        for (int i = 0; i < minutes.Length; i++)
        {
            JsonElement row = minutes[i];
            Assert.Equal(12, row.GetArrayLength());
            long open = row[0].GetInt64();
            Assert.Equal(0, open % Minute);
            Assert.Equal(open + Minute - 1, row[6].GetInt64());
            Assert.True(i == 0 || open == minutes[i - 1][0].GetInt64() + Minute);
            decimal o = BinanceEmulatorStreamTests.Number(row[1]), h = BinanceEmulatorStreamTests.Number(row[2]);
            decimal l = BinanceEmulatorStreamTests.Number(row[3]), c = BinanceEmulatorStreamTests.Number(row[4]);
            Assert.True(h >= Math.Max(o, c) && l <= Math.Min(o, c) && l > 0, $"bar {row}");
            Assert.All(new[] { o, h, l, c }, p => Assert.Equal(0, p % 0.01m));
            Assert.True(BinanceEmulatorStreamTests.Number(row[5]) >= 0 && BinanceEmulatorStreamTests.Number(row[7]) >= 0 && BinanceEmulatorStreamTests.Number(row[9]) >= 0);
            Assert.Equal(JsonValueKind.Number, row[8].ValueKind);
            Assert.Equal("0", row[11].GetString());
        }

        Assert.InRange(now, minutes[^1][0].GetInt64(), minutes[^1][6].GetInt64() + 1_000);

        long start = now - (5 * 3_600_000) - 123;
        JsonElement[] hours = await Klines($"interval=1h&startTime={start}&limit=3");
        Assert.Equal(((start / 3_600_000) + 1) * 3_600_000, hours[0][0].GetInt64());
        Assert.Equal(3, hours.Length);

        DateTime monday = DateTimeOffset.FromUnixTimeMilliseconds((await Klines("interval=1w&limit=1"))[0][0].GetInt64()).UtcDateTime;
        Assert.Equal((DayOfWeek.Monday, TimeSpan.Zero), (monday.DayOfWeek, monday.TimeOfDay));
        DateTime month = DateTimeOffset.FromUnixTimeMilliseconds((await Klines("interval=1M&limit=2"))[1][0].GetInt64()).UtcDateTime;
        Assert.Equal((1, TimeSpan.Zero), (month.Day, month.TimeOfDay));
        Assert.All(await Klines("interval=1d&timeZone=8&limit=3"), row => Assert.Equal(16 * 3_600_000, row[0].GetInt64() % 86_400_000));
        JsonElement[] firstMonths = await Klines("interval=1M&startTime=0&limit=2");
        Assert.Equal(new DateTimeOffset(2017, 8, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), firstMonths[0][0].GetInt64());

        // The past is the same in every run with the seed, and each bar closes where the next opens.
        long end = now - (2 * 3_600_000);
        string past = $"interval=5m&endTime={end}&limit=100";
        JsonElement[] history = await Klines(past);
        Assert.True(history[^1][0].GetInt64() <= end);
        Assert.All(history.Zip(history.Skip(1)), pair => Assert.Equal(pair.First[4].GetString(), pair.Second[1].GetString()));
        await using BinanceEmulator twin = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 0 });
        using var twinHttp = new HttpClient { BaseAddress = twin.RestUrl };
        Assert.Equal(
            (await http.GetStringAsync("/api/v3/klines?symbol=BTCUSDT&" + past)).Replace("],[", "]\n[", StringComparison.Ordinal),
            (await twinHttp.GetStringAsync("/api/v3/klines?symbol=BTCUSDT&" + past)).Replace("],[", "]\n[", StringComparison.Ordinal));

        HttpResponseMessage wrong = await http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=1H");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("{\"code\":-1120,\"msg\":\"Invalid interval.\"}", await wrong.Content.ReadAsStringAsync());
    }

    private static long RetryAfter(HttpResponseMessage response) => (long)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;

    /// <summary>Weight is counted per UTC minute: start early in one so the test never straddles two.</summary>
    private static async Task WaitForAFreshMinuteAsync()
    {
        DateTime now = DateTime.UtcNow;
        if (now.Second >= 45)
        {
            await Task.Delay(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromMilliseconds(200));
        }
    }
}
