using MarketFeed.LoadTest.Soak;

namespace MarketFeed.LoadTest.Tests.Soak;

public class FaultScheduleTests
{
    [Fact]
    public void The_default_schedule_has_every_fault_kind_and_repeats_over_the_hour()
    {
        FaultSchedule schedule = FaultSchedule.Default;
        Assert.Equal(TimeSpan.FromMinutes(10), schedule.Repeat);
        Assert.Equal(
            ["drop", "silent", "malformed", "oddtext", "absurd", "refuse,drop", "ratelimit=20", "timejump=300", "auth,drop", "oversized=33554432", "restdown,refuse,drop"],
            schedule.Steps.Select(s => s.Spec));

        // Six cycles of eleven, less the last cycle's two whose recovery allowance would run past the hour.
        IReadOnlyList<FaultStep> hour = schedule.Expand(TimeSpan.FromHours(1), TimeSpan.FromSeconds(87));
        Assert.Equal(64, hour.Count);
        Assert.Equal(TimeSpan.FromMinutes(58), hour[^1].Offset);
        Assert.All(hour, s => Assert.True(s.End + TimeSpan.FromSeconds(87) <= TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Steps_whose_recovery_would_outlast_the_run_are_left_out()
    {
        FaultSchedule schedule = FaultSchedule.Parse("10s drop 0s\n50s silent 20s");
        Assert.Equal(["drop"], schedule.Expand(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)).Select(s => s.Spec));
    }

    [Fact]
    public void New_fault_kinds_are_just_lines_and_turn_off_with_their_minus_form()
    {
        FaultStep step = Assert.Single(FaultSchedule.Parse("# comment\n 1m30s  oddtext,ratelimit=3,drop  2m  # trailing comment").Steps);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2)), (step.Offset, step.Duration));
        Assert.Equal(["oddtext", "ratelimit"], step.States);
        Assert.True(step.Drops);
    }

    [Theory]
    [InlineData("3m silent", "expected 'OFFSET SPEC DURATION'")]
    [InlineData("3x silent 10s", "'3x' is not a duration")]
    [InlineData("repeat 1m\n2m drop 0s", "every offset must be below the period")]
    public void A_bad_line_is_named(string text, string message)
    {
        FormatException error = Assert.Throws<FormatException>(() => FaultSchedule.Parse(text));
        Assert.Contains(message, error.Message);
    }
}
