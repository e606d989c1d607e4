using MarketFeed.Model;
using MarketFeed.Quality;

namespace MarketFeed.Tests.Quality;

public class TickAdmissionTests
{
    private const long TenPercent = 1_000;

    [Theory]
    [InlineData(150_000_000_000L, 1_000_000_000_000_000L, false)]
    [InlineData(150_000_000_000L, 165_000_000_000L, true)]
    [InlineData(150_000_000_000L, 165_000_000_001L, false)]
    [InlineData(150_000_000_000L, 135_000_000_000L, true)]
    [InlineData(1L, long.MaxValue, false)]
    [InlineData(long.MaxValue, 1L, false)]
    [InlineData(long.MaxValue, long.MaxValue - 1, true)]
    [InlineData(long.MaxValue - 1, long.MaxValue, true)]
    [InlineData(long.MaxValue, long.MaxValue / 2, false)]
    [InlineData(1L, long.MinValue + 1, false)]
    public void The_band_is_exact_for_every_representable_price(long reference, long price, bool within) =>
        Assert.Equal(within, TickAdmission.WithinBand(Price.FromRaw(price), Price.FromRaw(reference), TenPercent));

    [Fact]
    public void The_band_is_exact_for_the_widest_configurable_band() =>
        Assert.True(TickAdmission.WithinBand(Price.FromRaw(1), Price.FromRaw(long.MaxValue), long.MaxValue));
}
