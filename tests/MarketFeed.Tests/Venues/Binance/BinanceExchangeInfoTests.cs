using System.Text;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;

namespace MarketFeed.Tests.Venues.Binance;

/// <summary>exchangeInfo in the documented shape (filters as in Binance's filter documentation), hand-written.</summary>
public class BinanceExchangeInfoTests
{
    internal const string ExchangeInfo = """
        {"timezone":"UTC","serverTime":1565246363776,
         "rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}],
         "exchangeFilters":[],
         "symbols":[
          {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","baseAssetPrecision":8,"quoteAsset":"USDT","quotePrecision":8,
           "orderTypes":["LIMIT","MARKET"],"isSpotTradingAllowed":true,"isMarginTradingAllowed":true,
           "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
                      {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},
                      {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true}],
           "permissions":[],"permissionSets":[["SPOT","MARGIN"]]},
          {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","quoteAsset":"BTC",
           "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000100","maxPrice":"100000.00000000","tickSize":"0.00000100"},
                      {"filterType":"LOT_SIZE","minQty":"0.00100000","maxQty":"100000.00000000","stepSize":"0.00100000"}]},
          {"symbol":"SHIBUSDT","status":"TRADING","baseAsset":"SHIB","quoteAsset":"USDT",
           "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000000","maxPrice":"0.00000000","tickSize":"0.00000000"},
                      {"filterType":"LOT_SIZE","minQty":"1.00","maxQty":"92141578.00","stepSize":"1.00"}]},
          {"symbol":"币安人生USDT","status":"TRADING","baseAsset":"币安人生","quoteAsset":"USDT",
           "filters":[{"filterType":"PRICE_FILTER","tickSize":"0.00010000"},{"filterType":"LOT_SIZE","stepSize":"1.00000000"}]},
          {"symbol":"LUNAUSDT","status":"BREAK","baseAsset":"LUNA","quoteAsset":"USDT","filters":[]},
          {"symbol":"MARGINONLY","status":"TRADING","baseAsset":"M","quoteAsset":"USDT","isSpotTradingAllowed":false,"filters":[]},
          {"symbol":"BADTICK","status":"TRADING","baseAsset":"BAD","quoteAsset":"USDT","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.000000001"}]},
          {"symbol":"NOBASE","status":"TRADING","quoteAsset":"USDT","filters":[]}
         ]}
        """;

    [Fact]
    public void Trading_symbols_become_spot_instruments_with_tick_size_and_quantity_step_from_their_filters()
    {
        (List<Instrument> instruments, int rejected) = BinanceExchangeInfo.Parse(Encoding.UTF8.GetBytes(ExchangeInfo), "binance");
        Assert.Equal(["BINANCE:BTCUSDT", "BINANCE:ETHBTC", "BINANCE:SHIBUSDT", "BINANCE:币安人生USDT"], instruments.Select(i => i.Symbol));
        Assert.Equal(2, rejected);

        Instrument btc = instruments[0];
        Assert.Equal(("BTC/USDT", InstrumentKind.Spot, "BINANCE", "BTCUSDT", "binance"), (btc.Name, btc.Kind, btc.Exchange, btc.NativeKey, btc.Feed));
        Assert.Equal(Price.FromDecimal(0.01m), btc.TickSize);
        Assert.Equal((Quantity.FromDecimal(0.00001m), 1), (btc.QuantityStep, btc.LotSize));
        Assert.Same(SessionCalendar.Crypto, btc.Calendar);
        Assert.True(btc.Calendar.IsContinuous);

        Assert.Equal(Price.FromDecimal(0.000001m), instruments[1].TickSize);
        Assert.Equal(Quantity.FromDecimal(0.001m), instruments[1].QuantityStep);

        // A tick size of 0 switches the price rule off: the finest grid we hold. A whole step is also the lot size.
        Assert.Equal(Price.FromRaw(1), instruments[2].TickSize);
        Assert.Equal((Quantity.FromUnits(1), 1), (instruments[2].QuantityStep, instruments[2].LotSize));
    }

    [Fact]
    public void A_response_without_symbols_is_refused_with_a_reason()
    {
        Assert.Contains("symbols", Assert.Throws<FormatException>(() => BinanceExchangeInfo.Parse("{\"code\":-1003}"u8.ToArray(), "binance")).Message);
        Assert.Throws<FormatException>(() => BinanceExchangeInfo.Parse("<html>"u8.ToArray(), "binance"));
    }

    [Fact]
    public async Task The_master_registers_searchable_instruments_and_maps_symbols_both_ways()
    {
        string path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, ExchangeInfo);
        var registry = new InstrumentRegistry();
        var master = new BinanceInstrumentMaster();
        var options = new BinanceOptions { InstrumentsFile = path };
        using var rest = new BinanceRestClient(() => options, TimeProvider.System);
        await master.LoadAsync(options, rest, registry, "binance", new DateOnly(2026, 11, 20), CancellationToken.None);

        Assert.Equal((4, 2, path), (master.Count, master.Rejected, master.Source));
        Instrument btc = registry.Resolve("binance:btcusdt");
        Assert.Equal("BINANCE:BTCUSDT", registry.Search("BTC/USDT", feed: "binance").First().Symbol);
        Assert.Contains(registry.Search("btc", feed: "binance"), i => i.Id == btc.Id);
        Assert.True(master.TryGetSymbol(btc.Id, out string? symbol) && symbol == "BTCUSDT");
        Assert.True(master.TryGetStreamSymbol(btc.Id, out string? stream) && stream == "btcusdt");
        Assert.True(master.Symbols.TryGet("btcusdt"u8, out InstrumentId id) && id == btc.Id);
        Assert.True(master.Symbols.TryGet(Encoding.UTF8.GetBytes("币安人生USDT"), out id) && id == registry.Resolve("BINANCE:币安人生USDT").Id);
        Assert.True(master.TryGetStreamSymbol(id, out stream) && stream == "币安人生usdt");
        Assert.False(master.Symbols.TryGet("LUNAUSDT"u8, out _));
    }
}
