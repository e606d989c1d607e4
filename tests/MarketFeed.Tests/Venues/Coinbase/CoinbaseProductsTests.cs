using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Coinbase;

namespace MarketFeed.Tests.Venues.Coinbase;

public class CoinbaseProductsTests
{
    /// <summary>A products response in Coinbase's shape: online spot products, one offline, one future, one unreadable.</summary>
    public const string Products = """
        {"products":[
          {"product_id":"BTC-USD","price":"90000.01","base_increment":"0.00000001","quote_increment":"0.01","base_min_size":"0.00000001",
           "status":"online","trading_disabled":false,"product_type":"SPOT","base_currency_id":"BTC","quote_currency_id":"USD","base_display_symbol":"BTC","quote_display_symbol":"USD"},
          {"product_id":"ETH-USD","price":"3000.1","base_increment":"0.00000001","quote_increment":"0.01","status":"online","trading_disabled":false,
           "product_type":"SPOT","base_currency_id":"ETH","quote_currency_id":"USD"},
          {"product_id":"DOGE-USD","price":"0.35","base_increment":"0.1","quote_increment":"0.00001","status":"online","trading_disabled":false,
           "product_type":"SPOT","base_currency_id":"DOGE","quote_currency_id":"USD"},
          {"product_id":"SHIB-USD","base_increment":"1","quote_increment":"0.00000001","status":"online","product_type":"SPOT","base_currency_id":"SHIB","quote_currency_id":"USD"},
          {"product_id":"OLD-USD","base_increment":"0.01","quote_increment":"0.01","status":"delisted","product_type":"SPOT","base_currency_id":"OLD","quote_currency_id":"USD"},
          {"product_id":"HALT-USD","base_increment":"0.01","quote_increment":"0.01","status":"online","trading_disabled":true,"product_type":"SPOT","base_currency_id":"HALT","quote_currency_id":"USD"},
          {"product_id":"BIT-28NOV26-CDE","base_increment":"1","quote_increment":"5","status":"online","product_type":"FUTURE","base_currency_id":"BIT","quote_currency_id":"USD"},
          {"product_id":"BAD-USD","base_increment":"-1","quote_increment":"0.01","status":"online","product_type":"SPOT","base_currency_id":"BAD","quote_currency_id":"USD"}
        ],"num_products":8}
        """;

    [Fact]
    public void Online_spot_products_become_instruments_with_the_quote_increment_as_tick_and_the_base_increment_as_step()
    {
        (List<Instrument> instruments, int rejected) = CoinbaseProducts.Parse(System.Text.Encoding.UTF8.GetBytes(Products), "coinbase");
        Assert.Equal(["BTC-USD", "ETH-USD", "DOGE-USD", "SHIB-USD"], instruments.Select(i => i.TradingSymbol));
        Assert.Equal(1, rejected);

        Instrument btc = instruments[0];
        Assert.Equal(("COINBASE", "BTC/USD", InstrumentKind.Spot, "coinbase", "BTC-USD"), (btc.Exchange, btc.Name, btc.Kind, btc.Feed, btc.NativeKey));
        Assert.Equal(Price.FromDecimal(0.01m), btc.TickSize);
        Assert.Equal(Quantity.FromDecimal(0.00000001m), btc.QuantityStep);
        Assert.Equal(1, btc.LotSize);
        Assert.Same(SessionCalendar.Crypto, btc.Calendar);

        Instrument shib = instruments[3];
        Assert.Equal((Price.FromRaw(1), 1), (shib.TickSize, shib.LotSize));
    }

    [Fact]
    public void A_body_that_is_not_a_products_list_fails_with_the_endpoint_named()
    {
        Assert.Contains("products", Assert.Throws<FormatException>(() => CoinbaseProducts.Parse("{\"error\":\"x\"}"u8.ToArray(), "coinbase")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<FormatException>(() => CoinbaseProducts.Parse("<html>"u8.ToArray(), "coinbase")).Message);
    }
}
