using MarketFeed.Instruments;

namespace MarketFeed.Tests.Instruments;

public class InstrumentDumpCacheTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);

    [Fact]
    public void The_file_names_day_and_source_but_not_the_account()
    {
        string a = InstrumentDumpCache.PathFor("/c", "kite-instruments", "csv", "http://127.0.0.1:5081|emulator-key", Day);
        Assert.Equal(a, InstrumentDumpCache.PathFor("/c", "kite-instruments", "csv", "http://127.0.0.1:5081|emulator-key", Day));
        Assert.NotEqual(a, InstrumentDumpCache.PathFor("/c", "kite-instruments", "csv", "https://api.kite.trade|emulator-key", Day));
        Assert.NotEqual(a, InstrumentDumpCache.PathFor("/c", "kite-instruments", "csv", "http://127.0.0.1:5081|my-key", Day));
        Assert.NotEqual(a, InstrumentDumpCache.PathFor("/c", "kite-instruments", "csv", "http://127.0.0.1:5081|emulator-key", Day.AddDays(1)));
        Assert.StartsWith("/c/kite-instruments-2026-11-20-", a);
        Assert.DoesNotContain("emulator-key", a);
    }

    [Fact]
    public async Task A_download_that_fails_validation_is_not_cached()
    {
        string cache = Directory.CreateTempSubdirectory("mf-dump-").FullName;
        await Assert.ThrowsAsync<InvalidDataException>(() => InstrumentDumpCache.GetOrDownloadAsync(
            cache, "x", "json", "http://127.0.0.1:1", Day, _ => Task.FromResult("<html>"u8.ToArray()), _ => throw new InvalidDataException("not a dump"), CancellationToken.None));
        Assert.Empty(Directory.GetFiles(cache));

        int downloads = 0;
        Task<byte[]> Download(CancellationToken token)
        {
            downloads++;
            return Task.FromResult("{}"u8.ToArray());
        }

        for (int i = 0; i < 2; i++)
        {
            string path = await InstrumentDumpCache.GetOrDownloadAsync(cache, "x", "json", "http://127.0.0.1:1", Day, Download, null, CancellationToken.None);
            Assert.Equal("{}", await File.ReadAllTextAsync(path));
        }

        Assert.Equal(1, downloads);
    }
}
