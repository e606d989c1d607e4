namespace MarketFeed.Cli.Tests.Output;

public class MarketNoticesTests
{
    [Fact]
    public async Task On_session_hours_at_the_weekend_watch_says_the_feed_is_simulated_and_when_the_market_opens()
    {
        // Sunday 22 November 2026, 11:00 IST; the next session is Monday's 09:15.
        var clock = new MarketFeed.Time.ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 5, 30, 0, TimeSpan.Zero));
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new MarketFeed.Cli.CliEnvironment(output, error, new StringReader(""))
        {
            Overrides = new Dictionary<string, string?> { ["Sim:FollowSessionHours"] = "true" },
            Time = clock,
        };

        int exit = await MarketFeed.Cli.CliApp.RunAsync(["watch", "NSE:INFY", "--seconds", "0.5"], environment).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exit);
        string notices = error.ToString();
        Assert.Contains("marketfeed: feed sim is simulated (session hours)", notices);
        Assert.Contains("marketfeed: market closed for NSE:INFY; it opens Mon 2026-11-23 09:15 (UTC+05:30), in 22h 15m", notices);
    }
}
