using BenchmarkDotNet.Attributes;
using MarketFeed.Chains;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Recomputing a 100-strike chain (200 options, every one quoted and traded) after a tick of the underlying: for each
/// option the implied volatility from its mid and from its last price and the four Greeks, then ATM and put-call
/// ratios. Reported per option (200 operations per invoke); the baseline evaluates only the Black–Scholes price of
/// the same 200 options at their known volatilities, the least any chain must do per underlying tick.
/// </summary>
[MemoryDiagnoser]
public class ChainBenchmarks
{
    private const int Strikes = 100;
    private const double Rate = 0.065;
    private static readonly DateTime Now = new(2026, 11, 20, 4, 30, 0, DateTimeKind.Utc);
    private readonly double[] _strikes = new double[Strikes];
    private readonly double[] _volatilities = new double[Strikes];
    private readonly Tick[] _underlyingTicks = new Tick[2];
    private ChainCalculator _chain = null!;
    private double _years;
    private double _forward;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new InstrumentRegistry();
        Price tick = Price.FromScaled(5, 2);
        Instrument index = registry.Register(Make("NIFTY 50", InstrumentKind.Index, null, Price.None));
        var expiry = new DateOnly(2026, 12, 1);
        for (int i = 0; i < Strikes; i++)
        {
            decimal strike = 21_500m + (i * 50m);
            _strikes[i] = (double)strike;
            registry.Register(Make($"NIFTY26D01{strike}CE", InstrumentKind.Call, expiry, Price.FromDecimal(strike)));
            registry.Register(Make($"NIFTY26D01{strike}PE", InstrumentKind.Put, expiry, Price.FromDecimal(strike)));
        }

        ChainDefinition definition = ChainCatalog.Define(registry, "NIFTY", "2026-12-01", Now, new TimeSpan(15, 30, 0));
        _chain = new ChainCalculator(definition, new ChainOptions());
        _underlyingTicks[0] = new Tick(index.Id) { Ltp = Price.FromDecimal(24_000m) };
        _underlyingTicks[1] = new Tick(index.Id) { Ltp = Price.FromDecimal(24_003.5m) };
        _chain.Apply(in _underlyingTicks[0]);
        _chain.BeginRecompute(Now);
        _years = _chain.Stats.YearsToExpiry;
        _forward = _chain.Stats.Forward;
        for (int i = 0; i < Strikes; i++)
        {
            // A smile: 14 % at the money, rising to both wings.
            double moneyness = Math.Log(_strikes[i] / _forward);
            _volatilities[i] = 0.14 - (0.1 * moneyness) + (2 * moneyness * moneyness);
            ChainStrike listed = definition.Strikes[i];
            foreach ((Instrument option, bool isCall) in new[] { (listed.Call!, true), (listed.Put!, false) })
            {
                double price = Black76.Price(isCall, _forward, _strikes[i], _years, Rate, _volatilities[i]);
                var quote = new Tick(option.Id)
                {
                    Ltp = Price.FromDouble(price, tick),
                    Bid = Price.FromDouble(Math.Max(0.05, price - 0.5), tick),
                    Ask = Price.FromDouble(price + 0.5, tick),
                    Oi = Quantity.FromUnits(2_000_000),
                    Volume = Quantity.FromUnits(100_000),
                };
                _chain.Apply(in quote);
            }
        }

        _chain.RecomputeWindow();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Strikes * 2)]
    public double BlackScholesPriceOnly()
    {
        double sum = 0;
        for (int i = 0; i < Strikes; i++)
        {
            sum += Black76.Price(true, _forward, _strikes[i], _years, Rate, _volatilities[i]);
            sum += Black76.Price(false, _forward, _strikes[i], _years, Rate, _volatilities[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Strikes * 2)]
    public long RecomputeChainAfterUnderlyingTick()
    {
        _chain.Apply(in _underlyingTicks[_next++ & 1]);
        _chain.BeginRecompute(Now);
        _chain.RecomputeWindow();
        return _chain.Seq;
    }

    private static Instrument Make(string symbol, InstrumentKind kind, DateOnly? expiry, Price strike) => new()
    {
        Exchange = kind == InstrumentKind.Index ? "NSE" : "NFO", TradingSymbol = symbol, Name = kind == InstrumentKind.Index ? symbol : "NIFTY", Kind = kind,
        Underlying = kind == InstrumentKind.Index ? null : "NSE:NIFTY 50", Expiry = expiry, Strike = strike, TickSize = Price.FromScaled(5, 2), LotSize = 75,
        Calendar = SessionCalendar.IndianEquity, Feed = "bench", NativeKey = symbol,
    };
}
