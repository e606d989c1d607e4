using MarketFeed.Chains;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Chains;

public class ChainCalculatorTests
{
    private static readonly DateOnly Expiry = new(2026, 11, 24);

    // 10:00 IST on 2026-11-20: expiry at 15:30 IST on the 24th is 4 days 5.5 hours away.
    private static readonly DateTime Now = new(2026, 11, 20, 4, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Max_pain_and_put_call_ratios_match_a_hand_computed_chain()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 100, 110, 120);
        (long CallOi, long PutOi, long CallVolume, long PutVolume)[] data = [(10, 30, 100, 50), (20, 20, 200, 50), (30, 5, 300, 50)];
        for (int i = 0; i < data.Length; i++)
        {
            chain.Apply(Option(registry, chain.Definition.Strikes[i].Call!, oi: data[i].CallOi, volume: data[i].CallVolume));
            chain.Apply(Option(registry, chain.Definition.Strikes[i].Put!, oi: data[i].PutOi, volume: data[i].PutVolume));
        }

        chain.BeginRecompute(Now);
        chain.RecomputeWindow();

        // Paid to holders if it settles at 100: puts 20·10 + 5·20 = 300; at 110: calls 10·10 + puts 5·10 = 150; at 120: calls 10·20 + 20·10 = 400.
        Assert.Equal(110m, chain.Stats.MaxPain.ToDecimal());
        Assert.Equal(55.0 / 60, chain.Stats.PcrOi, 12);
        Assert.Equal(150.0 / 600, chain.Stats.PcrVolume, 12);
    }

    [Fact]
    public void Without_open_interest_there_is_no_max_pain_and_no_ratio()
    {
        (ChainCalculator chain, _) = Build(withFuture: false, 100, 110);
        chain.BeginRecompute(Now);
        chain.RecomputeWindow();
        Assert.False(chain.Stats.MaxPain.HasValue);
        Assert.True(double.IsNaN(chain.Stats.PcrOi));
    }

    [Fact]
    public void Options_priced_on_spot_give_back_their_volatility_with_greeks_and_a_window_atm()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 23_900, 24_000, 24_100);
        chain.Apply(new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_030m) });
        chain.BeginRecompute(Now);
        double years = chain.Stats.YearsToExpiry;
        Assert.Equal((4 + (5.5 / 24)) / 365, years, 12);
        double forward = 24_030 * Math.Exp(0.065 * years);
        Assert.Equal(forward, chain.Stats.Forward, 9);
        double call = Black76.Price(true, forward, 24_000, years, 0.065, 0.15);
        double put = Black76.Price(false, forward, 24_000, years, 0.065, 0.17);
        chain.Apply(Option(registry, chain.Definition.Strikes[1].Call!, ltp: call, bid: call - 0.5, ask: call + 0.5));
        chain.Apply(Option(registry, chain.Definition.Strikes[1].Put!, ltp: put));
        chain.RecomputeWindow();

        ChainRow row = chain.Rows[1];
        Assert.Equal(0.15, row.Call.IvLast, 6);
        Assert.Equal(IvFlag.None, row.Call.IvMidFlag);
        Assert.Equal(0.15, row.Call.IvMid, 4);
        Assert.Equal(0.17, row.Put.IvLast, 6);
        Assert.Equal(IvFlag.NoPrice, row.Put.IvMidFlag);
        Assert.Equal(Black76.Greeks(true, forward, 24_000, years, 0.065, row.Call.IvMid, onSpot: true), row.Call.Greeks);
        Assert.False(chain.Stats.OnFuture);
        Assert.Equal(24_000m, chain.Stats.Atm.ToDecimal());
        Assert.All([chain.Rows[0], chain.Rows[2]], r => Assert.Null(r.Call.Greeks));
    }

    [Fact]
    public void With_the_future_of_its_expiry_the_chain_is_priced_black_76_on_it()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: true, 24_000, 24_100);
        chain.Apply(new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_000m) });
        chain.Apply(new Tick(chain.Definition.Future!.Id) { Ltp = Price.FromDecimal(24_110m), Bid = Price.FromDecimal(24_090m), Ask = Price.FromDecimal(24_100m) });
        chain.BeginRecompute(Now);
        Assert.True(chain.Stats.OnFuture);
        Assert.Equal(24_095, chain.Stats.Forward, 9);
        double put = Black76.Price(false, 24_095, 24_100, chain.Stats.YearsToExpiry, 0.065, 0.2);
        chain.Apply(Option(registry, chain.Definition.Strikes[1].Put!, ltp: put));
        chain.RecomputeWindow();
        Assert.Equal(0.2, chain.Rows[1].Put.IvLast, 6);
        Assert.Equal(24_100m, chain.Stats.Atm.ToDecimal());
        Assert.Equal(Black76.Greeks(false, 24_095, 24_100, chain.Stats.YearsToExpiry, 0.065, chain.Rows[1].Put.IvLast, onSpot: false), chain.Rows[1].Put.Greeks);
    }

    [Fact]
    public void A_price_below_intrinsic_is_flagged_and_has_no_greeks()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 23_000);
        chain.Apply(new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_000m) });
        chain.Apply(Option(registry, chain.Definition.Strikes[0].Call!, ltp: 900, bid: 899, ask: 901));
        chain.BeginRecompute(Now);
        chain.RecomputeWindow();
        ChainSide call = chain.Rows[0].Call;
        Assert.Equal((IvFlag.BelowIntrinsic, IvFlag.BelowIntrinsic), (call.IvMidFlag, call.IvLastFlag));
        Assert.Null(call.Greeks);
        Assert.True(double.IsNaN(call.Iv));
    }

    [Fact]
    public void Venue_greeks_are_kept_beside_ours_and_a_difference_is_counted()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 24_000);
        chain.Apply(new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_000m) });
        chain.BeginRecompute(Now);
        double call = Black76.Price(true, chain.Stats.Forward, 24_000, chain.Stats.YearsToExpiry, 0.065, 0.15);
        Instrument option = chain.Definition.Strikes[0].Call!;
        chain.Apply(Option(registry, option, ltp: call) with { Greeks = new OptionGreeks(0.53, 0.0008, -12, 10, 15.2) });
        chain.RecomputeWindow();
        Assert.Equal((1L, 0L), (chain.Stats.GreeksCompared, chain.Stats.GreeksDisagreements));

        chain.Apply(Option(registry, option, ltp: call) with { Greeks = new OptionGreeks(0.53, 0.0008, -12, 10, 19.0) });
        chain.BeginRecompute(Now);
        chain.RecomputeWindow();
        Assert.Equal((2L, 1L), (chain.Stats.GreeksCompared, chain.Stats.GreeksDisagreements));
        Assert.Equal(4.0, chain.Stats.MaxIvDifferencePoints, 3);
        Assert.Equal(19.0, chain.Rows[0].Call.VenueGreeks!.Value.Iv);

        // The same venue Greeks again are not compared again.
        chain.BeginRecompute(Now);
        chain.RecomputeWindow();
        Assert.Equal(2L, chain.Stats.GreeksCompared);
    }

    [Fact]
    public void Moving_the_window_empties_the_strikes_that_leave_it_and_ignores_their_ticks()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 100, 110, 120, 130);
        chain.Apply(Option(registry, chain.Definition.Strikes[0].Call!, oi: 5, volume: 1));
        Assert.True(chain.SetWindow(1, 3));
        Assert.False(chain.Rows[0].Call.HasData);
        Assert.Equal(-1, chain.Apply(Option(registry, chain.Definition.Strikes[0].Call!, oi: 7, volume: 1)));
        Assert.Equal(2, chain.Apply(Option(registry, chain.Definition.Strikes[2].Put!, oi: 7, volume: 1)));
        Assert.False(chain.SetWindow(1, 3));
    }

    [Fact]
    public void Oi_change_is_from_the_previous_day_where_known_else_from_the_session_s_first_oi_and_says_which()
    {
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, 100, 110, 120);
        Instrument call = chain.Definition.Strikes[1].Call!;
        Assert.Equal(OiChangeBasis.None, chain.Rows[1].Call.OiBasis);
        Assert.False(chain.Rows[1].Call.OiChange.HasValue);

        chain.Apply(Option(registry, call, oi: 1_000));
        chain.Apply(Option(registry, call, oi: 1_150));
        Assert.Equal(OiChangeBasis.Session, chain.Rows[1].Call.OiBasis);
        Assert.Equal(Quantity.FromUnits(150), chain.Rows[1].Call.OiChange);

        // The previous day's close arrives: the change is measured from it from now on.
        Assert.Equal(1, chain.SetPreviousOi(call.Id, Quantity.FromUnits(900)));
        Assert.Equal(OiChangeBasis.PreviousDay, chain.Rows[1].Call.OiBasis);
        Assert.Equal(Quantity.FromUnits(250), chain.Rows[1].Call.OiChange);
        Assert.Equal(-1, chain.SetPreviousOi(call.Id, Quantity.FromUnits(900)));
        Assert.True(chain.HasPreviousOi(call.Id));
        Assert.False(chain.HasPreviousOi(chain.Definition.Strikes[1].Put!.Id));

        // Leaving the window and coming back keeps it: the option's first OI after re-entering is measured from it too.
        chain.SetWindow(2, 2);
        Assert.Equal(-1, chain.SetPreviousOi(call.Id, Quantity.FromUnits(950)));
        chain.SetWindow(0, 2);
        chain.Apply(Option(registry, call, oi: 1_000));
        Assert.Equal(OiChangeBasis.PreviousDay, chain.Rows[1].Call.OiBasis);
        Assert.Equal(Quantity.FromUnits(50), chain.Rows[1].Call.OiChange);

        // An instrument not in the chain and a missing value change nothing.
        Assert.Equal(-1, chain.SetPreviousOi(new InstrumentId(99_999), Quantity.FromUnits(1)));
        Assert.Equal(-1, chain.SetPreviousOi(call.Id, Quantity.None));
    }

    [Fact]
    public void Recomputing_after_ticks_of_the_underlying_and_of_options_allocates_nothing_in_steady_state()
    {
        decimal[] strikes = [.. Enumerable.Range(0, 40).Select(i => 23_000m + (i * 50m))];
        (ChainCalculator chain, InstrumentRegistry registry) = Build(withFuture: false, strikes);
        Tick[] spots = [new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_000m) }, new Tick(chain.Definition.Underlying!.Id) { Ltp = Price.FromDecimal(24_004.5m) }];
        chain.Apply(in spots[0]);
        chain.BeginRecompute(Now);
        var options = new List<Tick>();
        foreach (ChainStrike strike in chain.Definition.Strikes)
        {
            foreach ((Instrument option, bool isCall) in new[] { (strike.Call!, true), (strike.Put!, false) })
            {
                double price = Black76.Price(isCall, chain.Stats.Forward, strike.Strike.ToDouble(), chain.Stats.YearsToExpiry, 0.065, 0.15);
                options.Add(Option(registry, option, ltp: Math.Max(0.05, price), bid: Math.Max(0.05, price - 0.5), ask: price + 0.5, oi: 1_000, volume: 10));
                chain.SetPreviousOi(option.Id, Quantity.FromUnits(900));
            }
        }

        Tick[] quotes = [.. options];
        Tick[] moved = [.. options.Select(t => { Tick copy = t; copy.Oi = Quantity.FromUnits(1_100); return copy; })];
        void Round()
        {
            for (int i = 0; i < 20; i++)
            {
                chain.Apply(in spots[i & 1]);
                chain.BeginRecompute(Now);
                chain.RecomputeWindow();
                Tick[] batch = (i & 1) == 0 ? quotes : moved;
                int index = chain.Apply(in batch[i * 3]);
                chain.BeginRecompute(Now);
                chain.RecomputeStrike(index);
                chain.RecomputeChain();
            }
        }

        Round();
        Assert.Equal(0, Allocations.FewestPerRound(Round));
        Assert.Equal(OiChangeBasis.PreviousDay, chain.Rows[0].Call.OiBasis);
    }

    private static Tick Option(InstrumentRegistry registry, Instrument option, double ltp = double.NaN, double bid = double.NaN, double ask = double.NaN, long oi = 0, long volume = 0)
    {
        Price tick = registry.Get(option.Id).TickSize;
        return new Tick(option.Id)
        {
            Ltp = double.IsNaN(ltp) ? Price.None : Price.FromRaw((long)Math.Round(ltp * 1e8)),
            Bid = double.IsNaN(bid) ? Price.None : Price.FromDouble(bid, tick),
            Ask = double.IsNaN(ask) ? Price.None : Price.FromDouble(ask, tick),
            Oi = oi > 0 ? Quantity.FromUnits(oi) : Quantity.None,
            Volume = volume > 0 ? Quantity.FromUnits(volume) : Quantity.None,
        };
    }

    private static (ChainCalculator Chain, InstrumentRegistry Registry) Build(bool withFuture, params decimal[] strikes)
    {
        var registry = new InstrumentRegistry();
        registry.Register(Make("NIFTY 50", InstrumentKind.Index, null, null, Price.None));
        if (withFuture)
        {
            registry.Register(Make("NIFTY26NOVFUT", InstrumentKind.Future, "NSE:NIFTY 50", Expiry, Price.None));
        }

        foreach (decimal strike in strikes)
        {
            registry.Register(Make($"NIFTY26N24{strike}CE", InstrumentKind.Call, "NSE:NIFTY 50", Expiry, Price.FromDecimal(strike)));
            registry.Register(Make($"NIFTY26N24{strike}PE", InstrumentKind.Put, "NSE:NIFTY 50", Expiry, Price.FromDecimal(strike)));
        }

        ChainDefinition definition = ChainCatalog.Define(registry, "NIFTY", "2026-11-24", Now, new TimeSpan(15, 30, 0));
        return (new ChainCalculator(definition, new ChainOptions()), registry);
    }

    private static Instrument Make(string symbol, InstrumentKind kind, string? underlying, DateOnly? expiry, Price strike) => new()
    {
        Exchange = kind == InstrumentKind.Index ? "NSE" : "NFO", TradingSymbol = symbol, Name = kind == InstrumentKind.Index ? symbol : "NIFTY", Kind = kind,
        Underlying = underlying, Expiry = expiry, Strike = strike, TickSize = Price.FromScaled(5, 2), LotSize = 75, Calendar = SessionCalendar.IndianEquity,
        Feed = "test", NativeKey = symbol,
    };
}
