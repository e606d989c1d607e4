using MarketFeed.Instruments;
using MarketFeed.Venues.Kite;
using MarketFeed.Venues.Kite.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Venues.Kite;

/// <summary>The day's instrument dump is cached per source: the emulator's is never loaded for the real configuration.</summary>
public class KiteInstrumentCacheTests
{
    [Fact]
    public async Task The_emulators_cached_dump_is_never_loaded_for_another_rest_url_or_api_key()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions());
        string cache = Directory.CreateTempSubdirectory("mf-kite-cache-").FullName;
        Dictionary<string, string?> emulated = new()
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = cache,
        };
        await using (var feed = new KiteFeed(Build(emulated), TimeProvider.System))
        {
            await feed.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None);
        }

        string emulatorDump = Assert.Single(Directory.GetFiles(cache));

        // The real configuration (Kite's own REST URL, the user's key) on the same day, same cache folder: another file.
        var real = new KiteOptions { ApiKey = "real-key", CacheDirectory = cache };
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(DateTime.UtcNow, TimeZones.Kolkata).DateTime);
        string realDump = InstrumentDumpCache.PathFor(cache, "kite-instruments", "csv", $"{real.RestUrl}|{real.ApiKey}", today);
        Assert.NotEqual(emulatorDump, realDump);
        Assert.DoesNotContain("real-key", realDump);

        // And loading for another source downloads rather than reading the emulator's file: here the download has
        // nowhere to go (a closed loopback port stands in for api.kite.trade), so the load fails instead of succeeding.
        await using var elsewhere = new KiteFeed(Build(new Dictionary<string, string?>(emulated) { ["Kite:RestUrl"] = "http://127.0.0.1:9" }), TimeProvider.System);
        await Assert.ThrowsAnyAsync<Exception>(() => elsewhere.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None));

        // Another account on the same URL asks the venue too (which, for a key it does not know, says so).
        await using var otherKey = new KiteFeed(Build(new Dictionary<string, string?>(emulated) { ["Kite:ApiKey"] = "another-key" }), TimeProvider.System);
        await Assert.ThrowsAsync<MarketFeed.Feeds.AuthenticationRejectedException>(() => otherKey.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None));
        Assert.Equal([emulatorDump], Directory.GetFiles(cache));
    }

    private static IConfigurationRoot Build(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
