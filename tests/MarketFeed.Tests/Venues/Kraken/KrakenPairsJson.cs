namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>A cut of Kraken's <c>/0/public/AssetPairs</c>, field for field as Kraken answers.</summary>
internal static class KrakenPairsJson
{
    public const string Sample = """
        {"error":[],"result":{
          "XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","aclass_base":"currency","base":"XXBT","aclass_quote":"currency","quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":1,"lot_decimals":8,"lot_multiplier":1,"fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"0.00005","costmin":"0.5","tick_size":"0.1","status":"online"},
          "XETHZUSD":{"altname":"ETHUSD","wsname":"ETH/USD","aclass_base":"currency","base":"XETH","aclass_quote":"currency","quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":2,"lot_decimals":8,"lot_multiplier":1,"fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"0.002","costmin":"0.5","tick_size":"0.01","status":"online"},
          "XDGUSD":{"altname":"XDGUSD","wsname":"XDG/USD","aclass_base":"currency","base":"XXDG","aclass_quote":"currency","quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":7,"lot_decimals":8,"lot_multiplier":1,"fee_volume_currency":"ZUSD","ordermin":"20","costmin":"0.5","tick_size":"0.0000001","status":"online"},
          "OLDUSD":{"altname":"OLDUSD","wsname":"OLD/USD","pair_decimals":2,"lot_decimals":8,"status":"delisted"},
          "BADUSD":{"altname":"BADUSD","wsname":"BADUSD","pair_decimals":2,"lot_decimals":8,"status":"online"},
          "TINYUSD":{"altname":"TINYUSD","wsname":"TINY/USD","pair_decimals":10,"lot_decimals":8,"status":"online"}
        }}
        """;
}
