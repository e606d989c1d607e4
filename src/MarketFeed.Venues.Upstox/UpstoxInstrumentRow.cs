using System.Text.Json.Serialization;

namespace MarketFeed.Venues.Upstox;

/// <summary>One object of Upstox's instrument file (fields present only when relevant; <c>tick_size</c> in paise, <c>expiry</c> epoch ms).</summary>
public sealed class UpstoxInstrumentRow
{
    [JsonPropertyName("segment")] public string? Segment { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("exchange")] public string? Exchange { get; set; }

    [JsonPropertyName("isin")] public string? Isin { get; set; }

    [JsonPropertyName("instrument_type")] public string? InstrumentType { get; set; }

    [JsonPropertyName("instrument_key")] public string? InstrumentKey { get; set; }

    [JsonPropertyName("exchange_token")] public string? ExchangeToken { get; set; }

    [JsonPropertyName("trading_symbol")] public string? TradingSymbol { get; set; }

    [JsonPropertyName("lot_size")] public double? LotSize { get; set; }

    [JsonPropertyName("tick_size")] public double? TickSize { get; set; }

    [JsonPropertyName("weekly")] public bool? Weekly { get; set; }

    [JsonPropertyName("expiry")] public long? Expiry { get; set; }

    [JsonPropertyName("strike_price")] public double? StrikePrice { get; set; }

    [JsonPropertyName("asset_symbol")] public string? AssetSymbol { get; set; }

    [JsonPropertyName("underlying_symbol")] public string? UnderlyingSymbol { get; set; }

    [JsonPropertyName("underlying_key")] public string? UnderlyingKey { get; set; }
}
