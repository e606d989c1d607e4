namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>The emulator's pairs, with Kraken's REST names, decimals and ticks.</summary>
internal static class KrakenEmulatorUniverse
{
    public static IReadOnlyList<KrakenPairSpec> Build() =>
    [
        new("XXBTZUSD", "XBTUSD", "XBT/USD", "XXBT", "ZUSD", 1, 8, 0.1m, 90_000m, 0.03, 1_000, 2_000_000, 30_000_000),
        new("XETHZUSD", "ETHUSD", "ETH/USD", "XETH", "ZUSD", 2, 8, 0.01m, 3_000m, 0.04, 100_000, 50_000_000, 500_000_000),
        new("SOLUSD", "SOLUSD", "SOL/USD", "SOL", "ZUSD", 2, 8, 0.01m, 150m, 0.05, 1_000_000, 500_000_000, 5_000_000_000),
        new("XXRPZUSD", "XRPUSD", "XRP/USD", "XXRP", "ZUSD", 5, 8, 0.00001m, 2.2m, 0.05, 100_000_000, 50_000_000_000, 200_000_000_000),
        new("XDGUSD", "XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8, 0.0000001m, 0.35m, 0.06, 1_000_000_000, 100_000_000_000, 1_000_000_000_000),
    ];
}
