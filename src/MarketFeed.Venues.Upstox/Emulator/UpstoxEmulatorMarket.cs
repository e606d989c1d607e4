using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// The emulator's exchange: the simulator's NSE/NFO universe under Upstox instrument keys — equities by their real
/// ISINs (<c>NSE_EQ|INE002A01018</c> is RELIANCE), indices by name (<c>NSE_INDEX|Nifty 50</c>), derivatives by
/// numeric exchange token (<c>NSE_FO|40001</c> …) — one simulated market behind all connections, and the instrument
/// file Upstox would publish for it. The simulator is not thread-safe, so every use goes through one lock.
/// </summary>
internal sealed class UpstoxEmulatorMarket
{
    private static readonly Dictionary<string, string> s_isin = new(StringComparer.Ordinal)
    {
        ["RELIANCE"] = "INE002A01018", ["HDFCBANK"] = "INE040A01034", ["ICICIBANK"] = "INE090A01021", ["INFY"] = "INE009A01021",
        ["TCS"] = "INE467B01029", ["SBIN"] = "INE062A01020", ["BHARTIARTL"] = "INE397D01024", ["ITC"] = "INE154A01025",
        ["LT"] = "INE018A01030", ["KOTAKBANK"] = "INE237A01028",
    };

    private static readonly Dictionary<string, string> s_indexName = new(StringComparer.Ordinal)
    {
        ["NIFTY 50"] = "Nifty 50",
        ["NIFTY BANK"] = "Nifty Bank",
    };

    private readonly Lock _gate = new();
    private readonly SimulatorMarket _market;
    private readonly int _seed;
    private readonly Dictionary<string, Instrument> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tick> _latest = new(StringComparer.Ordinal);
    private readonly List<UpstoxInstrumentRow> _rows = [];
    private readonly InstrumentId _spot;

    public UpstoxEmulatorMarket(int seed, DateOnly today, int strikesEachSide = 10)
    {
        _seed = seed;
        var registry = new InstrumentRegistry();
        var registered = new List<(SimulatedSpec, Instrument)>();
        int exchangeToken = 40_000;
        foreach (SimulatedSpec spec in SimulatorUniverse.Build("upstox-emulator", today, aroundTheClock: true, strikesEachSide))
        {
            if (spec.Definition.Exchange is not ("NSE" or "NFO"))
            {
                continue;
            }

            Instrument instrument = registry.Register(spec.Definition);
            registered.Add((spec, instrument));
            (string key, UpstoxInstrumentRow row) = Describe(instrument, ++exchangeToken);
            _byKey[key] = instrument;
            _rows.Add(row);
        }

        _spot = registry.Resolve("NSE:NIFTY 50").Id;
        _market = new SimulatorMarket(registered, seed);
    }

    public IEnumerable<(string Key, Instrument Instrument)> Instruments => _byKey.Select(p => (p.Key, p.Value));

    /// <summary>The instrument file rows, as Upstox's <c>complete.json.gz</c> holds them.</summary>
    public IReadOnlyList<UpstoxInstrumentRow> Rows => _rows;

    public bool TryGetInstrument(string key, [NotNullWhen(true)] out Instrument? instrument) => _byKey.TryGetValue(key, out instrument);

    /// <summary>The next tick of an instrument, with everything a full packet carries, and Greeks for options.</summary>
    public (Tick Tick, OptionGreeks? Greeks) Next(string key, DateTime nowUtc)
    {
        lock (_gate)
        {
            Instrument instrument = _byKey[key];
            Tick tick = _market.Next(instrument.Id, nowUtc, FeedMode.Full);
            _latest[key] = tick;
            return (tick, GreeksOf(instrument, nowUtc));
        }
    }

    public (Tick Tick, OptionGreeks? Greeks) Latest(string key, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(key, out Tick tick) ? (tick, GreeksOf(_byKey[key], nowUtc)) : Next(key, nowUtc);
        }
    }

    /// <summary>The market as a quote endpoint sees it: it keeps trading whether or not anyone streams it.</summary>
    public Tick Current(string key, DateTime nowUtc, TimeSpan every)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(key, out Tick tick) && nowUtc - tick.ReceiveTime < every ? tick : Next(key, nowUtc).Tick;
        }
    }

    public IReadOnlyList<Candle> History(string key, CandleInterval interval, DateTime fromUtc, DateTime toUtc)
    {
        lock (_gate)
        {
            SimulatedInstrument simulated = _market.Find(_byKey[key].Id)!;
            int count = (int)Math.Clamp((toUtc - fromUtc).Ticks / interval.Length.Ticks, 0, 10_000);
            // The market trades around the clock so tests get ticks at any hour, but the venue's intraday history holds the
            // exchange session's bars only (daily bars: every day the simulator traded, so the previous day's OI agrees).
            return [.. SimulatorHistory.Build(simulated, interval, toUtc, count, _seed)
                .Where(c => c.Start >= fromUtc && (interval.Length >= CandleInterval.OneDay.Length || SessionCalendar.IndianEquity.SessionAt(c.Start) is not null))];
        }
    }

    /// <summary>The OI of a candle of the instrument (<see cref="SimulatorMarket.CandleOpenInterest"/>).</summary>
    public Quantity CandleOpenInterest(string key, DateTime candleStartUtc, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _market.CandleOpenInterest(_byKey[key].Id, candleStartUtc, nowUtc);
        }
    }

    /// <summary>Black–Scholes Greeks at 15% volatility against the simulated NIFTY (theta per day, vega per volatility point).</summary>
    private OptionGreeks? GreeksOf(Instrument instrument, DateTime nowUtc)
    {
        if (!instrument.IsOption || instrument.Expiry is not { } expiry || !_latest.TryGetValue(IndexKey("Nifty 50"), out Tick spotTick) || !spotTick.Ltp.HasValue)
        {
            return null;
        }

        const double volatility = 0.15, rate = 0.065;
        double spot = spotTick.Ltp.ToDouble(), strike = instrument.Strike.ToDouble();
        double t = Math.Max((expiry.ToDateTime(new TimeOnly(10, 0)) - nowUtc).TotalDays / 365, 1.0 / (365 * 24));
        double sqrtT = Math.Sqrt(t);
        double d1 = (Math.Log(spot / strike) + ((rate + (volatility * volatility / 2)) * t)) / (volatility * sqrtT);
        double d2 = d1 - (volatility * sqrtT);
        double density = Math.Exp(-d1 * d1 / 2) / Math.Sqrt(2 * Math.PI);
        bool call = instrument.Kind == InstrumentKind.Call;
        double delta = call ? OptionPricer.NormalCdf(d1) : OptionPricer.NormalCdf(d1) - 1;
        double gamma = density / (spot * volatility * sqrtT);
        double vega = spot * density * sqrtT / 100;
        double carry = rate * strike * Math.Exp(-rate * t);
        double theta = ((-spot * density * volatility / (2 * sqrtT)) + (call ? -carry * OptionPricer.NormalCdf(d2) : carry * OptionPricer.NormalCdf(-d2))) / 365;
        return new OptionGreeks(Math.Round(delta, 4), Math.Round(gamma, 6), Math.Round(theta, 2), Math.Round(vega, 2), volatility * 100);
    }

    private static string IndexKey(string name) => "NSE_INDEX|" + name;

    private static (string Key, UpstoxInstrumentRow Row) Describe(Instrument i, int exchangeToken)
    {
        string token = exchangeToken.ToString(CultureInfo.InvariantCulture);
        var row = new UpstoxInstrumentRow
        {
            Name = i.Name,
            Exchange = "NSE",
            TradingSymbol = i.TradingSymbol,
            ExchangeToken = token,
            TickSize = (double)(i.TickSize.ToDecimal() * 100m),
            LotSize = i.LotSize,
        };
        switch (i.Kind)
        {
            case InstrumentKind.Index:
                string name = s_indexName.GetValueOrDefault(i.TradingSymbol, i.TradingSymbol);
                (row.Segment, row.InstrumentType, row.InstrumentKey, row.Name) = ("NSE_INDEX", "INDEX", IndexKey(name), name);
                break;
            case InstrumentKind.Equity:
                string isin = s_isin.GetValueOrDefault(i.TradingSymbol, $"INE{exchangeToken:D6}01");
                (row.Segment, row.InstrumentType, row.InstrumentKey, row.Isin) = ("NSE_EQ", "EQ", "NSE_EQ|" + isin, isin);
                break;
            default:
                DateOnly expiry = i.Expiry!.Value;
                bool call = i.Kind == InstrumentKind.Call;
                row.Segment = "NSE_FO";
                row.InstrumentType = i.Kind switch { InstrumentKind.Future => "FUT", InstrumentKind.Call => "CE", _ => "PE" };
                row.InstrumentKey = "NSE_FO|" + token;
                row.AssetSymbol = row.UnderlyingSymbol = "NIFTY";
                row.UnderlyingKey = IndexKey("Nifty 50");
                row.Expiry = new DateTimeOffset(expiry.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.FromHours(5.5)).ToUnixTimeMilliseconds();
                row.Exchange = "NSE";
                if (i.IsOption)
                {
                    row.StrikePrice = i.Strike.ToDouble();
                    row.Weekly = i.TradingSymbol != DerivativeSymbols.MonthlyOption("NIFTY", expiry, i.Strike.ToDecimal(), call);
                }

                // Upstox's own trading symbol style ("NIFTY 24000 CE 25 NOV 26"); the canonical one is rebuilt from the fields.
                row.TradingSymbol = i.IsOption
                    ? $"NIFTY {i.Strike.ToDecimal():0.##} {(call ? "CE" : "PE")} {expiry.ToString("dd MMM yy", CultureInfo.InvariantCulture).ToUpperInvariant()}"
                    : $"NIFTY FUT {expiry.ToString("dd MMM yy", CultureInfo.InvariantCulture).ToUpperInvariant()}";
                break;
        }

        return (row.InstrumentKey!, row);
    }
}
