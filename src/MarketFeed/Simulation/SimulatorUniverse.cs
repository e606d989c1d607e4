using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The default universe: NIFTY 50 and NIFTY BANK, ten liquid NSE equities, NIFTY futures (this and next month) and a
/// NIFTY BANK future, a NIFTY option chain (weekly and monthly expiry) and a NIFTY BANK chain (monthly, as NSE lists
/// it), ATM ± 10 strikes by default, CE and PE, BINANCE:BTCUSDT and ETHUSDT (the two with an L2 order book, as the
/// venue has). Each instrument's previous close is near its base price and differs from day to day; the chains are
/// centred on their index's previous close of the day the universe is built for.
/// Volatilities are annual and typical of the asset class (index 12–18 %, large caps 20–30 %, BTC 40–70 %).
/// </summary>
internal static class SimulatorUniverse
{
    public const string NiftyIndex = "NSE:NIFTY 50";
    public const string BankIndex = "NSE:NIFTY BANK";
    private const int CryptoBookLevels = 50;

    private static readonly (string Symbol, string Name, decimal Price, double Volatility, double SharesPerMinute)[] s_equities =
    [
        ("RELIANCE", "RELIANCE INDUSTRIES", 2_930m, 0.24, 26_000),
        ("HDFCBANK", "HDFC BANK", 1_650m, 0.20, 40_000),
        ("ICICIBANK", "ICICI BANK", 1_250m, 0.22, 32_000),
        ("INFY", "INFOSYS", 1_500m, 0.25, 19_000),
        ("TCS", "TATA CONSULTANCY SERVICES", 3_500m, 0.21, 7_000),
        ("SBIN", "STATE BANK OF INDIA", 800m, 0.28, 40_000),
        ("BHARTIARTL", "BHARTI AIRTEL", 1_600m, 0.22, 16_000),
        ("ITC", "ITC", 450m, 0.20, 40_000),
        ("LT", "LARSEN & TOUBRO", 3_600m, 0.24, 5_300),
        ("KOTAKBANK", "KOTAK MAHINDRA BANK", 1_800m, 0.23, 10_700),
    ];

    /// <summary>An index with its option chain: base level, strike step, lot, volatility, ATM implied volatility, weekly expiries, ATM lots a minute.</summary>
    private sealed record Chain(string Symbol, string Root, decimal Base, decimal StrikeStep, int Lot, double Volatility, double ImpliedVolatility,
        bool Weekly, int Futures, double AtmLotsPerMinute);

    private static readonly Chain[] s_chains =
    [
        new("NIFTY 50", "NIFTY", 24_000m, 50m, 75, 0.14, 0.14, Weekly: true, Futures: 2, AtmLotsPerMinute: 1_500),
        new("NIFTY BANK", "BANKNIFTY", 51_000m, 100m, 35, 0.17, 0.16, Weekly: false, Futures: 1, AtmLotsPerMinute: 500),
    ];

    public static IReadOnlyList<SimulatedSpec> Build(
        string feed, DateOnly today, bool aroundTheClock, int strikesEachSide = 10, int seed = 42, IEnumerable<DateOnly>? holidays = null)
    {
        if (strikesEachSide is < 0 or > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(strikesEachSide), strikesEachSide, "Sim:StrikesEachSide must be 0 to 200.");
        }

        SessionCalendar nse = aroundTheClock
            ? SessionCalendar.IndianEquity.AroundTheClock()
            : SessionCalendar.IndianEquity.WithHolidays(holidays ?? NseHolidays.Year2026);
        SessionCalendar crypto = SessionCalendar.Crypto;
        Price nseTick = Price.FromScaled(5, 2);
        var specs = new List<SimulatedSpec>();
        foreach (Chain chain in s_chains)
        {
            decimal close = AnchorClose(seed, "NSE:" + chain.Symbol, chain.Base, today);
            specs.Add(Spec(Index(chain.Symbol, chain.Symbol), close, chain.Volatility, SimulatedModel.RandomWalk, null, 0, 0, 0, false, 0, 0));
        }

        foreach ((string symbol, string name, decimal price, double volatility, double perMinute) in s_equities)
        {
            decimal close = AnchorClose(seed, "NSE:" + symbol, price, today);
            specs.Add(Spec(Equity(symbol, name), close, volatility, SimulatedModel.RandomWalk, null, 1, 500, 0, false, 0, perMinute) with { SpreadTicks = 1 });
        }

        foreach (Chain chain in s_chains)
        {
            AddDerivatives(chain);
        }

        specs.Add(Spec(Crypto("BTCUSDT", "BITCOIN"), AnchorClose(seed, "BINANCE:BTCUSDT", 90_000m, today), 0.55, SimulatedModel.RandomWalk, null,
            1, 50_000_000, 8, true, 0, 14e8) with { BookLevels = CryptoBookLevels });
        specs.Add(Spec(Crypto("ETHUSDT", "ETHEREUM"), AnchorClose(seed, "BINANCE:ETHUSDT", 3_000m, today), 0.70, SimulatedModel.RandomWalk, null,
            1_000, 2_000_000_000, 8, true, 0, 280e8) with { BookLevels = CryptoBookLevels });
        return [.. specs.Select(s => s with { AnchorDate = today })];

        void AddDerivatives(Chain chain)
        {
            string underlying = "NSE:" + chain.Symbol;
            decimal indexClose = specs.First(s => s.Definition.Symbol == underlying).BasePrice;
            for (int month = 0; month < chain.Futures; month++)
            {
                DateOnly expiry = DerivativeSymbols.NextMonthlyExpiry(today, month);
                Instrument future = Derivative(chain, DerivativeSymbols.Future(chain.Root, expiry), InstrumentKind.Future, expiry, Price.None);
                specs.Add(Spec(future, indexClose, 0, SimulatedModel.Future, underlying, chain.Lot, 10 * chain.Lot, 0, false, 12_000_000,
                    chain.Lot * chain.AtmLotsPerMinute / (month == 0 ? 4 : 40)));
            }

            // Strikes re-centred every day on the index's previous close.
            decimal atm = Math.Round(indexClose / chain.StrikeStep) * chain.StrikeStep;
            DateOnly monthly = DerivativeSymbols.NextMonthlyExpiry(today);
            (DateOnly Expiry, bool IsWeekly)[] expiries = chain.Weekly ? [(DerivativeSymbols.NextWeeklyExpiry(today), true), (monthly, false)] : [(monthly, false)];
            foreach ((DateOnly expiry, bool isWeekly) in expiries)
            {
                for (int step = -strikesEachSide; step <= strikesEachSide; step++)
                {
                    decimal strike = atm + (step * chain.StrikeStep);
                    double lotsPerMinute = chain.AtmLotsPerMinute * Math.Exp(-Math.Abs(step) / 4.0) * (isWeekly || !chain.Weekly ? 1 : 0.15);
                    foreach (bool isCall in new[] { true, false })
                    {
                        string symbol = isWeekly
                            ? DerivativeSymbols.WeeklyOption(chain.Root, expiry, strike, isCall)
                            : DerivativeSymbols.MonthlyOption(chain.Root, expiry, strike, isCall);
                        Instrument option = Derivative(chain, symbol, isCall ? InstrumentKind.Call : InstrumentKind.Put, expiry, Price.FromDecimal(strike));
                        specs.Add(Spec(option, 0m, 0, SimulatedModel.Option, underlying, chain.Lot, 20 * chain.Lot, 0, false, 2_000_000,
                            Math.Max(1, lotsPerMinute) * chain.Lot) with { ImpliedVolatility = chain.ImpliedVolatility });
                    }
                }
            }
        }

        Instrument Index(string tradingSymbol, string name) => new()
        {
            Exchange = "NSE", TradingSymbol = tradingSymbol, Name = name, Kind = InstrumentKind.Index,
            TickSize = nseTick, LotSize = 0, Calendar = nse, Feed = feed, NativeKey = "NSE:" + tradingSymbol,
        };

        Instrument Equity(string tradingSymbol, string name) => new()
        {
            Exchange = "NSE", TradingSymbol = tradingSymbol, Name = name, Kind = InstrumentKind.Equity,
            TickSize = nseTick, LotSize = 1, Calendar = nse, Feed = feed, NativeKey = "NSE:" + tradingSymbol,
        };

        Instrument Derivative(Chain chain, string tradingSymbol, InstrumentKind kind, DateOnly expiry, Price strike) => new()
        {
            Exchange = "NFO", TradingSymbol = tradingSymbol, Name = chain.Root, Kind = kind, Underlying = "NSE:" + chain.Symbol,
            Expiry = expiry, Strike = strike, TickSize = nseTick, LotSize = chain.Lot, Calendar = nse, Feed = feed,
            NativeKey = "NFO:" + tradingSymbol,
        };

        Instrument Crypto(string tradingSymbol, string name) => new()
        {
            Exchange = "BINANCE", TradingSymbol = tradingSymbol, Name = name, Kind = InstrumentKind.Spot,
            TickSize = Price.FromScaled(1, 2), LotSize = 1, Calendar = crypto, Feed = feed, NativeKey = "BINANCE:" + tradingSymbol,
        };
    }

    /// <summary>The close of the trading day before <paramref name="today"/>: near the base price (sd 0.5 %, within 1.5 %), different each day.</summary>
    private static decimal AnchorClose(int seed, string symbol, decimal basePrice, DateOnly today)
    {
        double shock = DeterministicRandom.GaussianAt(DeterministicRandom.SeedFor(seed, symbol + "|close") ^ (ulong)today.DayNumber);
        double close = (double)basePrice * Math.Exp(Math.Clamp(0.005 * shock, -0.015, 0.015));
        return Math.Round((decimal)close * 20) / 20;
    }

    private static SimulatedSpec Spec(Instrument definition, decimal basePrice, double volatility, SimulatedModel model, string? underlying,
        long minUnits, long maxUnits, int quantityDecimals, bool trades, long openInterest, double volumePerMinute) =>
        new(definition, basePrice, volatility, model, underlying, minUnits, maxUnits, quantityDecimals, trades, openInterest)
        {
            VolumePerMinute = volumePerMinute,
        };
}
