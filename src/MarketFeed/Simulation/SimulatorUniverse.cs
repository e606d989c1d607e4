using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The default universe: NIFTY 50 and NIFTY BANK, ten liquid NSE equities, NIFTY futures (this and next month),
/// a NIFTY option chain (weekly and monthly expiry, ATM ± 10 strikes by default, CE and PE), BINANCE:BTCUSDT and ETHUSDT
/// (the two with an L2 order book, as the venue has).
/// </summary>
internal static class SimulatorUniverse
{
    public const string NiftyIndex = "NSE:NIFTY 50";
    private const decimal NiftyBase = 24_000m;
    private const decimal NiftyStrikeStep = 50m;
    private const int NiftyLot = 75;
    private const int CryptoBookLevels = 50;

    private static readonly (string Symbol, string Name, decimal Price)[] s_equities =
    [
        ("RELIANCE", "RELIANCE INDUSTRIES", 2_930m),
        ("HDFCBANK", "HDFC BANK", 1_650m),
        ("ICICIBANK", "ICICI BANK", 1_250m),
        ("INFY", "INFOSYS", 1_500m),
        ("TCS", "TATA CONSULTANCY SERVICES", 3_500m),
        ("SBIN", "STATE BANK OF INDIA", 800m),
        ("BHARTIARTL", "BHARTI AIRTEL", 1_600m),
        ("ITC", "ITC", 450m),
        ("LT", "LARSEN & TOUBRO", 3_600m),
        ("KOTAKBANK", "KOTAK MAHINDRA BANK", 1_800m),
    ];

    public static IReadOnlyList<SimulatedSpec> Build(string feed, DateOnly today, bool aroundTheClock, int strikesEachSide = 10)
    {
        if (strikesEachSide is < 0 or > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(strikesEachSide), strikesEachSide, "Sim:StrikesEachSide must be 0 to 200.");
        }

        SessionCalendar nse = aroundTheClock ? SessionCalendar.IndianEquity.AroundTheClock() : SessionCalendar.IndianEquity;
        SessionCalendar crypto = SessionCalendar.Crypto;
        Price nseTick = Price.FromScaled(5, 2);
        var specs = new List<SimulatedSpec>
        {
            Spec(Index("NIFTY 50", "NIFTY"), NiftyBase, 0.00015, SimulatedModel.RandomWalk, null, 0, 0, 0, false, 0),
            Spec(Index("NIFTY BANK", "BANKNIFTY"), 51_000m, 0.00018, SimulatedModel.RandomWalk, null, 0, 0, 0, false, 0),
        };

        foreach ((string symbol, string name, decimal price) in s_equities)
        {
            specs.Add(Spec(Equity(symbol, name), price, 0.0003, SimulatedModel.RandomWalk, null, 1, 500, 0, false, 0));
        }

        foreach (DateOnly expiry in new[] { DerivativeSymbols.NextMonthlyExpiry(today), DerivativeSymbols.NextMonthlyExpiry(today, 1) })
        {
            Instrument future = Derivative(DerivativeSymbols.Future("NIFTY", expiry), InstrumentKind.Future, expiry, Price.None);
            specs.Add(Spec(future, NiftyBase, 0, SimulatedModel.Future, NiftyIndex, NiftyLot, 10 * NiftyLot, 0, false, 12_000_000));
        }

        decimal atm = Math.Round(NiftyBase / NiftyStrikeStep) * NiftyStrikeStep;
        DateOnly weekly = DerivativeSymbols.NextWeeklyExpiry(today);
        DateOnly monthly = DerivativeSymbols.NextMonthlyExpiry(today);
        foreach ((DateOnly expiry, bool isWeekly) in new[] { (weekly, true), (monthly, false) })
        {
            for (int step = -strikesEachSide; step <= strikesEachSide; step++)
            {
                decimal strike = atm + (step * NiftyStrikeStep);
                foreach (bool isCall in new[] { true, false })
                {
                    string symbol = isWeekly
                        ? DerivativeSymbols.WeeklyOption("NIFTY", expiry, strike, isCall)
                        : DerivativeSymbols.MonthlyOption("NIFTY", expiry, strike, isCall);
                    Instrument option = Derivative(symbol, isCall ? InstrumentKind.Call : InstrumentKind.Put, expiry, Price.FromDecimal(strike));
                    specs.Add(Spec(option, 100m, 0, SimulatedModel.Option, NiftyIndex, NiftyLot, 20 * NiftyLot, 0, false, 2_000_000));
                }
            }
        }

        specs.Add(Spec(Crypto("BTCUSDT", "BITCOIN"), 90_000m, 0.0002, SimulatedModel.RandomWalk, null, 1, 50_000_000, 8, true, 0) with { BookLevels = CryptoBookLevels });
        specs.Add(Spec(Crypto("ETHUSDT", "ETHEREUM"), 3_000m, 0.00025, SimulatedModel.RandomWalk, null, 1_000, 2_000_000_000, 8, true, 0) with { BookLevels = CryptoBookLevels });
        return specs;

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

        Instrument Derivative(string tradingSymbol, InstrumentKind kind, DateOnly expiry, Price strike) => new()
        {
            Exchange = "NFO", TradingSymbol = tradingSymbol, Name = "NIFTY", Kind = kind, Underlying = NiftyIndex,
            Expiry = expiry, Strike = strike, TickSize = nseTick, LotSize = NiftyLot, Calendar = nse, Feed = feed,
            NativeKey = "NFO:" + tradingSymbol,
        };

        Instrument Crypto(string tradingSymbol, string name) => new()
        {
            Exchange = "BINANCE", TradingSymbol = tradingSymbol, Name = name, Kind = InstrumentKind.Spot,
            TickSize = Price.FromScaled(1, 2), LotSize = 1, Calendar = crypto, Feed = feed, NativeKey = "BINANCE:" + tradingSymbol,
        };
    }

    private static SimulatedSpec Spec(Instrument definition, decimal basePrice, double volatility, SimulatedModel model, string? underlying,
        long minUnits, long maxUnits, int quantityDecimals, bool trades, long openInterest) =>
        new(definition, basePrice, volatility, model, underlying, minUnits, maxUnits, quantityDecimals, trades, openInterest);
}
