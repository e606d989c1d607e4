using MarketFeed.Cli.Output;
using MarketFeed.Time;

namespace MarketFeed.Cli.Tests.Output;

public sealed class ProgressBarTests
{
    [Fact]
    public void Redraws_at_most_ten_times_a_second_but_always_at_the_end_and_clears_itself()
    {
        var error = new StringWriter();
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var bar = new ProgressBar(error, "verify", time);

        bar.Report(0.25, "1/4 segments");
        bar.Report(0.5, "2/4 segments");
        Assert.Equal(1, Draws(error));
        Assert.Contains("verify [######------------------]  25%  1/4 segments", error.ToString(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMilliseconds(100));
        bar.Report(0.75, "3/4 segments");
        bar.Report(1, "4/4 segments");
        Assert.Equal(3, Draws(error));
        Assert.Contains("[########################] 100%  4/4 segments", error.ToString(), StringComparison.Ordinal);

        bar.Clear();
        string last = error.ToString()[error.ToString().LastIndexOf('\r', error.ToString().Length - 2)..];
        Assert.Equal("\r" + new string(' ', "verify [########################] 100%  4/4 segments".Length) + "\r", last);
    }

    [Fact]
    public void A_fraction_out_of_range_or_not_a_number_is_clamped()
    {
        var error = new StringWriter();
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        new ProgressBar(error, "x", time).Report(double.NaN, "");
        new ProgressBar(error, "y", time).Report(7, "");
        Assert.Contains("x [------------------------]   0%", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("y [########################] 100%", error.ToString(), StringComparison.Ordinal);
    }

    private static int Draws(StringWriter error) => error.ToString().Count(c => c == '\r');
}
