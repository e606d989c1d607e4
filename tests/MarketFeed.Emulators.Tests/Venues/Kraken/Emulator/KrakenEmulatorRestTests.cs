using System.Net;
using System.Text.Json;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Kraken.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Kraken.Emulator;

/// <summary>The Kraken emulator's public REST endpoints with a plain HttpClient: Kraken's envelope, its caps and its errors.</summary>
public class KrakenEmulatorRestTests
{
    [Fact]
    public async Task Asset_pairs_read_as_the_adapter_reads_them()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        byte[] body = await http.GetByteArrayAsync("/0/public/AssetPairs");
        (var pairs, int rejected) = KrakenAssetPairs.Parse(body, "kraken");
        Assert.Equal(0, rejected);
        Assert.Equal(emulator.Symbols.Order(), pairs.Select(p => p.Instrument.TradingSymbol).Order());
        Assert.Contains(pairs, p => p.Instrument.TradingSymbol == "BTC/USD" && p.RestPair == "XXBTZUSD" && p.Instrument.TickSize.ToDecimal() == 0.1m);
    }

    [Fact]
    public async Task Ohlc_returns_at_most_720_bars_ending_with_the_one_forming_and_tickers_name_rest_pairs()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        JsonElement ohlc = JsonDocument.Parse(await http.GetStringAsync("/0/public/OHLC?pair=XBTUSD&interval=5")).RootElement;
        Assert.Equal(0, ohlc.GetProperty("error").GetArrayLength());
        JsonElement rows = ohlc.GetProperty("result").GetProperty("XXBTZUSD");
        Assert.Equal(720, rows.GetArrayLength());
        long last = ohlc.GetProperty("result").GetProperty("last").GetInt64();
        Assert.Equal(last, rows[719][0].GetInt64());
        Assert.True(rows.EnumerateArray().Zip(rows.EnumerateArray().Skip(1)).All(p => p.Second[0].GetInt64() - p.First[0].GetInt64() == 300));
        Assert.All(rows.EnumerateArray(), r => Assert.True(decimal.Parse(r[3].GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= decimal.Parse(r[2].GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        JsonElement since = JsonDocument.Parse(await http.GetStringAsync($"/0/public/OHLC?pair=XXBTZUSD&interval=5&since={last - 600}")).RootElement;
        Assert.Equal(3, since.GetProperty("result").GetProperty("XXBTZUSD").GetArrayLength());

        JsonElement ticker = JsonDocument.Parse(await http.GetStringAsync("/0/public/Ticker?pair=XBTUSD,ETHUSD")).RootElement.GetProperty("result");
        Assert.Equal(["XETHZUSD", "XXBTZUSD"], ticker.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(3, ticker.GetProperty("XXBTZUSD").GetProperty("a").GetArrayLength());

        JsonElement unknown = JsonDocument.Parse(await http.GetStringAsync("/0/public/OHLC?pair=NOPE&interval=5")).RootElement;
        Assert.Equal("EQuery:Unknown asset pair", unknown.GetProperty("error")[0].GetString());
    }

    [Fact]
    public async Task Faults_answer_as_kraken_and_cloudflare_do()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        emulator.SetFaults("ratelimit=1");
        HttpResponseMessage limited = await http.GetAsync("/0/public/Ticker?pair=XBTUSD");
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal("EAPI:Rate limit exceeded", JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("error")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/0/public/Time")).StatusCode);

        emulator.SetFaults("restdown");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/0/public/Time")).StatusCode);
        emulator.SetFaults("-restdown,auth");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/0/public/Time")).StatusCode);
        Assert.Equal(1, emulator.AuthRejections);
    }
}
