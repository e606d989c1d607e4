using MarketFeed.Hub;

namespace MarketFeed.Tests.Hub;

public class HubOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => new HubOptions().Validate();

    [Theory]
    [InlineData(-1, 600)]
    [InlineData(601, 600)]
    [InlineData(0, 0)]
    public void The_future_tolerance_must_be_zero_or_more_and_within_the_clock_skew_limit(int toleranceSeconds, int maxSkewSeconds)
    {
        var options = new HubOptions { FutureTolerance = TimeSpan.FromSeconds(toleranceSeconds), MaxClockSkew = TimeSpan.FromSeconds(maxSkewSeconds) };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void A_zero_tolerance_is_allowed() => new HubOptions { FutureTolerance = TimeSpan.Zero }.Validate();
}
