namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>The configuration that points a <see cref="DhanFeed"/> at an emulator (tests, fuzz rig, benchmarks).</summary>
public static class DhanEmulatorSettings
{
    public static IReadOnlyDictionary<string, string?> For(DhanEmulator emulator, string cacheDirectory, string? accessToken = null) => new Dictionary<string, string?>
    {
        ["Dhan:ClientId"] = "1000000001",
        ["Dhan:AccessToken"] = accessToken ?? "emulator-token",
        ["Dhan:StreamUrl"] = emulator.StreamUrl.ToString(),
        ["Dhan:DepthUrl"] = emulator.DepthUrl.ToString(),
        ["Dhan:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
        ["Dhan:ScripMasterUrl"] = emulator.RestUrl + "api-data/api-scrip-master.csv",
        ["Dhan:CacheDirectory"] = cacheDirectory,
    };
}
