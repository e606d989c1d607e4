using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Simulation.Realism;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Quality;

/// <summary>The outlier band follows each instrument's own movement: normal moves of a volatile instrument pass, absurd prints do not.</summary>
public class OutlierBandTests
{
    private static readonly DateTime s_now = new(2026, 11, 20, 5, 0, 0, DateTimeKind.Utc);
    private static readonly long s_tick = Price.FromScaled(5, 2).Raw;

    [Fact]
    public void An_option_that_has_been_moving_several_percent_a_tick_may_move_ten_percent_more()
    {
        TickAdmission admission = NewAdmission();
        // An option swinging ±6 % a second, as a weekly option does when the index moves.
        decimal price = Swing(admission, 120m, 1.06m, 0.95m, 40);

        Assert.False(Flagged(admission, Math.Round(price * 1.12m, 2), 40));
        Assert.True(admission.CurrentBandBasisPoints() > 1_000);
    }

    [Fact]
    public void A_cheap_option_moving_a_tick_or_two_is_never_an_outlier()
    {
        TickAdmission admission = NewAdmission();
        decimal[] prices = [0.05m, 0.10m, 0.05m, 0.15m, 0.10m, 0.20m, 0.05m];
        Assert.All(prices.Select((p, i) => Flagged(admission, p, i)), Assert.False);
    }

    [Fact]
    public void An_absurd_print_is_flagged_however_much_the_instrument_has_been_moving()
    {
        TickAdmission admission = NewAdmission();
        decimal price = Swing(admission, 1_500m, 1.09m, 0.92m, 100);

        Assert.Equal(TickAdmission.MaxAdaptiveBandBasisPoints, admission.CurrentBandBasisPoints());
        Assert.True(Flagged(admission, 10_000_000m, 100));
        Assert.True(Flagged(admission, Math.Round(price / 3, 2), 101));
    }

    [Fact]
    public void A_calm_stock_keeps_the_configured_band()
    {
        TickAdmission admission = NewAdmission();
        for (int i = 0; i < 50; i++)
        {
            Assert.False(Flagged(admission, 2_900m + (i % 3 * 0.05m), i));
        }

        Assert.Equal(1_000, admission.CurrentBandBasisPoints());
        Assert.True(Flagged(admission, 3_250m, 50));
    }

    [Fact]
    public void A_simulated_trading_hour_of_every_instrument_has_no_false_outliers()
    {
        RealismReport report = RealismRun.Run(new RealismOptions { Minutes = 30 });
        Assert.True(report.OptionTicks > 200_000);
        Assert.Equal(0, report.Outliers);
        Assert.Equal(0, report.BelowIntrinsic);
    }

    [Fact]
    public async Task Options_streamed_from_the_kite_emulator_through_the_hub_are_not_flagged()
    {
        await using KiteVenue venue = await KiteVenue.StartAsync(ticksPerSecond: 10);
        string[] chain = [.. venue.Host.Instruments.All().Where(i => i.IsOption).Select(i => i.Symbol).Take(60).Append("NSE:NIFTY 50").Append("NSE:NIFTY BANK")];
        await using MarketSubscription sub = venue.Host.Subscribe(chain, new SubscriberOptions { Mode = FeedMode.Full });
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Count >= 1_500, timeoutMs: 30_000);

        Assert.True(ticks.Count(t => (t.Flags & TickFlags.Outlier) != 0) <= ticks.Count / 1_000, "more than 0.1 % of the options' ticks flagged as outliers");
        await venue.Host.Hub.FlushAsync();
        Assert.Equal(0, venue.Host.Hub.Quality().FlaggedOutlier);
    }

    /// <summary>Alternate moves up and down, none of which may be flagged; the last price.</summary>
    private static decimal Swing(TickAdmission admission, decimal price, decimal up, decimal down, int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            price = Math.Round(price * (i % 2 == 0 ? up : down), 2);
            Assert.False(Flagged(admission, price, i), $"tick {i} at {price}");
        }

        return price;
    }

    /// <summary>Admission as the hub configures it by default, for an instrument with a 0.05 tick.</summary>
    private static TickAdmission NewAdmission() => new(1_000, 3, TimeSpan.FromMinutes(10).Ticks, TimeSpan.FromSeconds(2).Ticks, s_tick);

    private static bool Flagged(TickAdmission admission, decimal price, int second)
    {
        var tick = new Tick(new InstrumentId(1))
        {
            ExchangeTime = s_now.AddSeconds(second), ReceiveTime = s_now.AddSeconds(second), Ltp = Price.FromDecimal(price), Mode = FeedMode.Ltp,
        };
        Tick none = default;
        admission.Admit(ref tick, ref none, hasLatest: false);
        return (tick.Flags & TickFlags.Outlier) != 0;
    }
}
