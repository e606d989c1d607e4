using System.Text;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>Symbol lists into instruments, and the instrument master loading and caching them per day.</summary>
public class FinnhubSymbolListTests
{
    [Fact]
    public void Stock_crypto_and_forex_rows_become_finnhub_instruments_named_as_the_venue_names_them()
    {
        byte[] stocks = Encoding.UTF8.GetBytes("[{\"currency\":\"USD\",\"description\":\"APPLE INC\",\"displaySymbol\":\"AAPL\",\"figi\":\"BBG000B9XRY4\",\"mic\":\"XNAS\",\"symbol\":\"AAPL\",\"type\":\"Common Stock\"},"
            + "{\"description\":\"BERKSHIRE HATHAWAY INC-CL B\",\"displaySymbol\":\"BRK.B\",\"symbol\":\"BRK.B\",\"type\":\"Common Stock\"},{\"symbol\":\"\"},{\"description\":\"no symbol\"},42]");
        byte[] crypto = Encoding.UTF8.GetBytes("[{\"description\":\"Binance BTCUSDT\",\"displaySymbol\":\"BTC/USDT\",\"symbol\":\"BINANCE:BTCUSDT\"}]");
        byte[] forex = Encoding.UTF8.GetBytes("[{\"description\":\"Oanda EUR/USD\",\"displaySymbol\":\"EUR/USD\",\"symbol\":\"OANDA:EUR_USD\"},{\"description\":\"IC Markets 1\",\"displaySymbol\":\"1\",\"symbol\":\"IC MARKETS:1\"}]");

        (List<Instrument> s, int rejected) = FinnhubSymbolList.Parse(stocks, FinnhubSymbolKind.Stock, "US", "finnhub");
        (List<Instrument> c, _) = FinnhubSymbolList.Parse(crypto, FinnhubSymbolKind.Crypto, "binance", "finnhub");
        (List<Instrument> f, _) = FinnhubSymbolList.Parse(forex, FinnhubSymbolKind.Forex, "oanda", "finnhub");

        Assert.Equal(3, rejected);
        Assert.Equal(["FINNHUB:AAPL", "FINNHUB:BRK.B"], s.Select(i => i.Symbol));
        Assert.Equal(("AAPL", "APPLE INC", InstrumentKind.Equity, "US"), (s[0].NativeKey, s[0].Name, s[0].Kind, s[0].Calendar.Name));
        Assert.Equal(("FINNHUB:BINANCE:BTCUSDT", "BINANCE:BTCUSDT", InstrumentKind.Spot, true), (c[0].Symbol, c[0].NativeKey, c[0].Kind, c[0].Calendar.IsContinuous));
        Assert.Equal(Price.FromRaw(1), c[0].TickSize);
        Assert.Equal(["FINNHUB:OANDA:EUR_USD", "FINNHUB:IC MARKETS:1"], f.Select(i => i.Symbol));
        Assert.False(f[0].Calendar.TradesOnWeekends);
    }

    [Theory]
    [InlineData("{\"error\":\"Invalid API key\"}")]
    [InlineData("<html>502</html>")]
    public void Anything_but_a_list_is_refused(string body)
    {
        Assert.Throws<FormatException>(() => FinnhubSymbolList.Parse(Encoding.UTF8.GetBytes(body), FinnhubSymbolKind.Stock, "US", "finnhub"));
    }

    [Fact]
    public async Task The_master_loads_every_configured_list_once_a_day_from_the_cache()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 0 });
        string cache = Directory.CreateTempSubdirectory("mf-finnhub-master-").FullName;
        try
        {
            var options = new FinnhubOptions { Token = emulator.Token, RestUrl = emulator.RestUrl.ToString(), CacheDirectory = cache, CallsPerMinute = 1800 };
            using var rest = new FinnhubRestClient(() => options, TimeProvider.System);
            DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
            var registry = new InstrumentRegistry();
            var master = new FinnhubInstrumentMaster();
            await master.LoadAsync(options, rest, registry, "finnhub", today, CancellationToken.None);

            Assert.Equal(emulator.Symbols.Count, master.Count);
            Assert.Equal("stock US, crypto binance, forex oanda", master.Source);
            Assert.True(master.TryGetSymbol(registry.Resolve("FINNHUB:BINANCE:BTCUSDT").Id, out string? symbol));
            Assert.Equal("BINANCE:BTCUSDT", symbol);
            Assert.Equal(3, rest.Calls);
            Assert.Equal(3, Directory.GetFiles(cache).Length);

            // The same day again: from the cache, no call.
            await new FinnhubInstrumentMaster().LoadAsync(options, rest, new InstrumentRegistry(), "finnhub", today, CancellationToken.None);
            Assert.Equal(3, rest.Calls);

            // The next day: downloaded afresh.
            await new FinnhubInstrumentMaster().LoadAsync(options, rest, new InstrumentRegistry(), "finnhub", today.AddDays(1), CancellationToken.None);
            Assert.Equal(6, rest.Calls);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
