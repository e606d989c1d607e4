using System.Net;
using System.Text.Json;
using MarketFeed.Venues.Coinbase.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Coinbase.Emulator;

/// <summary>The Coinbase emulator's public REST endpoints, called with a bare HttpClient.</summary>
public sealed class CoinbaseEmulatorRestTests : IAsyncLifetime
{
    private CoinbaseEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { RestRequestsPerSecond = 3 });
        _http = new HttpClient { BaseAddress = _emulator.RestUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Products_list_the_spot_products_with_their_increments()
    {
        (HttpStatusCode status, JsonElement body) = await GetAsync("/api/v3/brokerage/market/products");
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement btc = body.GetProperty("products").EnumerateArray().Single(p => p.GetProperty("product_id").GetString() == "BTC-USD");
        Assert.Equal(("0.01", "0.00000001", "online", "SPOT"), (btc.GetProperty("quote_increment").GetString(), btc.GetProperty("base_increment").GetString(),
            btc.GetProperty("status").GetString(), btc.GetProperty("product_type").GetString()));
        Assert.Equal(5, body.GetProperty("num_products").GetInt32());
    }

    [Fact]
    public async Task Candles_come_newest_first_within_the_range_and_more_than_350_is_refused()
    {
        (HttpStatusCode status, JsonElement body) = await GetAsync("/api/v3/brokerage/market/products/ETH-USD/candles?start=1795000000&end=1795003600&granularity=FIVE_MINUTE");
        Assert.Equal(HttpStatusCode.OK, status);
        long[] starts = [.. body.GetProperty("candles").EnumerateArray().Select(c => long.Parse(c.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(12, starts.Length);
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.First - p.Second == 300));
        Assert.All(starts, s => Assert.True(s is >= 1795000000 and < 1795003600 && s % 300 == 0));

        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/v3/brokerage/market/products/ETH-USD/candles?start=0&end=1795003600&granularity=ONE_MINUTE")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v3/brokerage/market/products/NOPE-USD/candles?start=0&end=60&granularity=ONE_MINUTE")).Status);
    }

    [Fact]
    public async Task Past_its_rate_the_emulator_answers_429_with_retry_after_and_faults_apply()
    {
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await _http.GetAsync("/api/v3/brokerage/market/products/BTC-USD/ticker?limit=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        await Task.Delay(1100);
        _emulator.Faults.RestDown = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/api/v3/brokerage/market/products")).Status);
        _emulator.Faults.RestDown = false;
        _emulator.Faults.RejectAuth = true;
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/v3/brokerage/market/products")).Status);
        Assert.Equal(1, _emulator.AuthRejections);
    }

    [Fact]
    public async Task Bad_fault_specs_name_what_is_valid()
    {
        Assert.Contains("seqgap", Assert.Throws<ArgumentException>(() => _emulator.SetFaults("nosuchfault")).Message);
        Assert.Contains("BTC-USD", Assert.Throws<ArgumentException>(() => _emulator.SetFaults("reject=NOPE")).Message);
        Assert.Contains("reject=ETH-USD", _emulator.SetFaults("reject=ETH-USD"));
        await Task.CompletedTask;
    }
}
