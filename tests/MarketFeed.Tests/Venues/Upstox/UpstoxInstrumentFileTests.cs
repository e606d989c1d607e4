using System.IO.Compression;
using System.Text;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox;

namespace MarketFeed.Tests.Venues.Upstox;

public class UpstoxInstrumentFileTests
{
    // Expiries are epoch ms at 23:59:59 IST of the day: 1795544999000 is 2026-11-24, 1794940199000 is 2026-11-17.
    private const string Json = """
        [
        {"segment":"NSE_EQ","name":"JOCIL LIMITED","exchange":"NSE","isin":"INE839G01010","instrument_type":"EQ","instrument_key":"NSE_EQ|INE839G01010","lot_size":1,"freeze_quantity":100000.0,"exchange_token":"16927","tick_size":5.0,"trading_symbol":"JOCIL","short_name":"JOCIL","security_type":"NORMAL"},
        {"segment":"NSE_INDEX","name":"Nifty 50","exchange":"NSE","instrument_type":"INDEX","instrument_key":"NSE_INDEX|Nifty 50","exchange_token":"26000","trading_symbol":"NIFTY"},
        {"segment":"NSE_FO","name":"NIFTY","exchange":"NSE","instrument_type":"CE","instrument_key":"NSE_FO|43885","exchange_token":"43885","trading_symbol":"NIFTY 24000 CE 24 NOV 26","lot_size":75,"tick_size":5.0,"expiry":1795544999000,"strike_price":24000.0,"weekly":false,"asset_symbol":"NIFTY","underlying_symbol":"NIFTY","underlying_key":"NSE_INDEX|Nifty 50","underlying_type":"INDEX"},
        {"segment":"NSE_FO","name":"NIFTY","exchange":"NSE","instrument_type":"PE","instrument_key":"NSE_FO|43886","exchange_token":"43886","trading_symbol":"NIFTY 24000 PE 17 NOV 26","lot_size":75,"tick_size":5.0,"expiry":1794940199000,"strike_price":24000.0,"weekly":true,"asset_symbol":"NIFTY","underlying_key":"NSE_INDEX|Nifty 50"},
        {"segment":"NSE_FO","name":"NIFTY","exchange":"NSE","instrument_type":"FUT","instrument_key":"NSE_FO|43800","exchange_token":"43800","trading_symbol":"NIFTY FUT 24 NOV 26","lot_size":75,"tick_size":10.0,"expiry":1795544999000,"asset_symbol":"NIFTY","underlying_key":"NSE_INDEX|Nifty 50"},
        {"segment":"MF","name":"SOME FUND","instrument_key":"MF|INF000000000"},
        {"segment":"NSE_FO","instrument_type":"CE","instrument_key":"NSE_FO|1","trading_symbol":"NO EXPIRY"}
        ]
        """;

    [Fact]
    public async Task The_json_file_gzip_or_plain_becomes_canonical_instruments_keyed_by_instrument_key()
    {
        foreach (bool gzip in new[] { true, false })
        {
            string path = Path.GetTempFileName();
            try
            {
                await WriteAsync(path, gzip);
                (List<Instrument> rows, int rejected) = await UpstoxInstrumentFile.ReadAsync(path, "upstox", CancellationToken.None);
                Assert.Equal(2, rejected);
                Dictionary<string, Instrument> byKey = rows.ToDictionary(r => r.NativeKey);

                Instrument jocil = byKey["NSE_EQ|INE839G01010"];
                Assert.Equal(("NSE:JOCIL", InstrumentKind.Equity, 0.05m, 1), (jocil.Symbol, jocil.Kind, jocil.TickSize.ToDecimal(), jocil.LotSize));
                Assert.Equal(("NSE:NIFTY 50", InstrumentKind.Index), (byKey["NSE_INDEX|Nifty 50"].Symbol, byKey["NSE_INDEX|Nifty 50"].Kind));

                Instrument call = byKey["NSE_FO|43885"];
                Assert.Equal(("NFO:NIFTY26NOV24000CE", InstrumentKind.Call, "NSE:NIFTY 50"), (call.Symbol, call.Kind, call.Underlying));
                Assert.Equal((new DateOnly(2026, 11, 24), 24000m, 75), (call.Expiry, call.Strike.ToDecimal(), call.LotSize));
                Assert.Equal("NFO:NIFTY26N1724000PE", byKey["NSE_FO|43886"].Symbol);
                Assert.Equal(("NFO:NIFTY26NOVFUT", 0.10m), (byKey["NSE_FO|43800"].Symbol, byKey["NSE_FO|43800"].TickSize.ToDecimal()));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task A_file_that_is_not_an_instrument_array_says_so()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "<html>not found</html>");
            FormatException e = await Assert.ThrowsAsync<FormatException>(() => UpstoxInstrumentFile.ReadAsync(path, "upstox", CancellationToken.None));
            Assert.Contains("not an Upstox instrument file", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_cache_file_is_per_day_and_per_source()
    {
        var options = new UpstoxOptions { CacheDirectory = "/cache" };
        var day = new DateOnly(2026, 11, 20);
        string complete = UpstoxInstrumentMaster.CachePath(options, day);
        Assert.NotEqual(complete, UpstoxInstrumentMaster.CachePath(options, day.AddDays(1)));
        Assert.NotEqual(complete, UpstoxInstrumentMaster.CachePath(new UpstoxOptions { CacheDirectory = "/cache", InstrumentsUrl = "https://assets.upstox.com/market-quote/instruments/exchange/NSE.json.gz" }, day));
        Assert.Matches(@"/cache/upstox-instruments-2026-11-20-[0-9a-f]{16}\.json\.gz$", complete);
    }

    private static async Task WriteAsync(string path, bool gzip)
    {
        await using FileStream file = File.Create(path);
        Stream target = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        await target.WriteAsync(Encoding.UTF8.GetBytes(Json));
        await target.DisposeAsync();
    }
}
