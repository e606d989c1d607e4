using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Finnhub.Emulator;

/// <summary>The Finnhub emulator's REST API with a plain HttpClient: the token, the answers' shapes, the plan, the minute's limit, faults.</summary>
public class FinnhubEmulatorRestTests
{
    private static HttpClient Client(FinnhubEmulator emulator, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(emulator.RestUrl + "/") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("X-Finnhub-Token", token);
        }

        return http;
    }

    [Fact]
    public async Task The_token_is_taken_from_the_header_or_the_query_and_without_it_finnhub_asks_to_sign_up()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions());
        using HttpClient header = Client(emulator, emulator.Token);
        using HttpClient none = Client(emulator, null);
        using HttpClient wrong = Client(emulator, "wrong");

        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("quote?symbol=AAPL")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync("quote?symbol=AAPL&token=" + emulator.Token)).StatusCode);
        HttpResponseMessage missing = await none.GetAsync("quote?symbol=AAPL");
        Assert.Equal((HttpStatusCode)429, missing.StatusCode);
        Assert.Contains("sign up", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("quote?symbol=AAPL")).StatusCode);
        Assert.Equal(2, emulator.AuthRejections);
    }

    [Fact]
    public async Task Quote_and_symbol_lists_have_finnhubs_shape()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 50 });
        using HttpClient http = Client(emulator, emulator.Token);
        await Task.Delay(200);

        JsonElement quote = await http.GetFromJsonAsync<JsonElement>("quote?symbol=AAPL");
        Assert.Equal(["c", "d", "dp", "h", "l", "o", "pc", "t"], quote.EnumerateObject().Select(p => p.Name));
        Assert.True(quote.GetProperty("c").GetDecimal() > 0);
        Assert.True(quote.GetProperty("l").GetDecimal() <= quote.GetProperty("c").GetDecimal() && quote.GetProperty("c").GetDecimal() <= quote.GetProperty("h").GetDecimal());
        Assert.InRange(quote.GetProperty("t").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        JsonElement unknown = await http.GetFromJsonAsync<JsonElement>("quote?symbol=NOPE");
        Assert.Equal((0, JsonValueKind.Null), (unknown.GetProperty("c").GetInt32(), unknown.GetProperty("d").ValueKind));

        JsonElement stocks = await http.GetFromJsonAsync<JsonElement>("stock/symbol?exchange=US");
        Assert.Contains(stocks.EnumerateArray(), s => s.GetProperty("symbol").GetString() == "AAPL" && s.GetProperty("type").GetString() == "Common Stock");
        JsonElement crypto = await http.GetFromJsonAsync<JsonElement>("crypto/symbol?exchange=binance");
        Assert.All(crypto.EnumerateArray(), s => Assert.Equal(["description", "displaySymbol", "symbol"], s.EnumerateObject().Select(p => p.Name)));
        Assert.Contains(crypto.EnumerateArray(), s => s.GetProperty("symbol").GetString() == "BINANCE:BTCUSDT" && s.GetProperty("displaySymbol").GetString() == "BTC/USDT");
        JsonElement forex = await http.GetFromJsonAsync<JsonElement>("forex/symbol?exchange=oanda");
        Assert.Contains(forex.EnumerateArray(), s => s.GetProperty("symbol").GetString() == "OANDA:EUR_USD");
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("forex/symbol?exchange=fxcm")).GetArrayLength());
    }

    [Fact]
    public async Task Candles_are_403_on_a_free_plan_and_parallel_arrays_on_a_premium_one()
    {
        await using FinnhubEmulator free = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions());
        using HttpClient freeHttp = Client(free, free.Token);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        HttpResponseMessage refused = await freeHttp.GetAsync($"stock/candle?symbol=AAPL&resolution=1&from={now - 3600}&to={now}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("You don't have access to this resource.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        await using FinnhubEmulator premium = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { PremiumCandles = true });
        using HttpClient http = Client(premium, premium.Token);
        JsonElement none = await http.GetFromJsonAsync<JsonElement>($"crypto/candle?symbol=BINANCE:BTCUSDT&resolution=1&from={now - 3600}&to={now}");
        Assert.Equal("no_data", none.GetProperty("s").GetString());
        Assert.Equal((HttpStatusCode)422, (await http.GetAsync($"crypto/candle?symbol=BINANCE:BTCUSDT&resolution=2&from=1&to={now}")).StatusCode);
    }

    [Fact]
    public async Task Past_the_minutes_calls_429_with_finnhubs_headers_and_faults_fail_calls_as_finnhub_would()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { CallsPerMinute = 3 });
        using HttpClient http = Client(emulator, emulator.Token);

        // Not across a minute's turn: the budget would refill between calls.
        while (DateTime.UtcNow.Second > 55)
        {
            await Task.Delay(200);
        }

        for (int i = 0; i < 3; i++)
        {
            HttpResponseMessage ok = await http.GetAsync("quote?symbol=AAPL");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((2 - i).ToString(CultureInfo.InvariantCulture), ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        HttpResponseMessage limited = await http.GetAsync("quote?symbol=AAPL");
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.StartsWith("API limit reached.", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        long reset = long.Parse(limited.Headers.GetValues("X-RateLimit-Reset").Single(), CultureInfo.InvariantCulture);
        Assert.Equal(0, reset % 60);
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1, 60);

        await using FinnhubEmulator faulty = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { Faults = "ratelimit=1" });
        using HttpClient client = Client(faulty, faulty.Token);
        HttpResponseMessage injected = await client.GetAsync("quote?symbol=AAPL");
        Assert.Equal((HttpStatusCode)429, injected.StatusCode);
        Assert.InRange(long.Parse(injected.Headers.GetValues("X-RateLimit-Reset").Single(), CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("quote?symbol=AAPL")).StatusCode);
        faulty.SetFaults("restdown");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("quote?symbol=AAPL")).StatusCode);
        faulty.SetFaults("-restdown,auth");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("quote?symbol=AAPL")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_fault_lists_finnhubs_own()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions());

        var e = Assert.Throws<ArgumentException>(() => emulator.SetFaults("depthgap"));
        Assert.Contains("duptrades", e.Message, StringComparison.Ordinal);
        Assert.Contains("toomanysymbols=1", emulator.SetFaults("toomanysymbols,duptrades=2"), StringComparison.Ordinal);
    }
}
