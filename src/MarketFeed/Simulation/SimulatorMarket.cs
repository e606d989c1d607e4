using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// Generates realistic ticks: a random walk rounded to the tick size (futures and options derived from the
/// underlying so the chain stays consistent), bid/ask around the last price with five levels of depth (for
/// instruments with an order book, its best levels), cumulative day volume (or individual trades for crypto), open
/// interest, day open/high/low and previous close.
/// Deterministic: the same seed and the same calls give the same ticks.
/// </summary>
internal sealed class SimulatorMarket
{
    private const double RiskFreeRate = 0.065;
    private const double OptionVolatility = 0.14;
    private readonly Dictionary<InstrumentId, SimulatedInstrument> _byId = [];

    public SimulatorMarket(IEnumerable<(SimulatedSpec Spec, Instrument Registered)> instruments, int seed, bool books = true)
    {
        var bySymbol = new Dictionary<string, SimulatedInstrument>(StringComparer.Ordinal);
        foreach ((SimulatedSpec spec, Instrument registered) in instruments)
        {
            var simulated = new SimulatedInstrument(spec, registered, seed, books);
            _byId[registered.Id] = simulated;
            bySymbol[registered.Symbol] = simulated;
        }

        foreach (SimulatedInstrument simulated in _byId.Values)
        {
            if (simulated.Spec.UnderlyingSymbol is { } underlying)
            {
                simulated.Underlying = bySymbol[underlying];
            }
        }
    }

    public bool Knows(InstrumentId id) => _byId.ContainsKey(id);

    public SimulatedInstrument? Find(InstrumentId id) => _byId.GetValueOrDefault(id);

    /// <summary>The instrument's order book, stepped by <see cref="Next"/>; null when it has none.</summary>
    public SimulatedBook? BookOf(InstrumentId id) => _byId.TryGetValue(id, out SimulatedInstrument? s) ? s.Book : null;

    public IEnumerable<SimulatedInstrument> Instruments => _byId.Values;

    /// <summary>True when the instrument's exchange session is open at <paramref name="nowUtc"/> (cached per session).</summary>
    public bool IsInSession(InstrumentId id, DateTime nowUtc)
    {
        SimulatedInstrument s = _byId[id];
        if (nowUtc >= s.SessionKnownUntil)
        {
            SessionCalendar calendar = s.Instrument.Calendar;
            SessionWindow session = calendar.CurrentOrNextSession(nowUtc);
            s.SessionOpen = session.Contains(nowUtc);
            s.SessionKnownUntil = s.SessionOpen ? session.CloseUtc : session.OpenUtc;
        }

        return s.SessionOpen;
    }

    public Tick Next(InstrumentId id, DateTime nowUtc, FeedMode mode)
    {
        SimulatedInstrument s = _byId[id];
        RollDay(s, nowUtc);
        Price price = NextPrice(s, nowUtc);
        s.Book?.Step(price);
        Instrument instrument = s.Instrument;
        var tick = new Tick(id)
        {
            ExchangeTime = nowUtc,
            ReceiveTime = nowUtc,
            Ltp = price,
            Mode = mode,
            Source = TickSource.Stream,
        };

        // With a book, a tick says only what it carries, so the book's depth in the latest quote is never erased.
        if (s.Book is not null)
        {
            tick.Updates = mode switch
            {
                FeedMode.Ltp => TickFields.Trade,
                FeedMode.Quote => TickFields.Trade | TickFields.TopOfBook | TickFields.DayStats,
                _ => TickFields.All,
            };
        }

        if (instrument.IsTradable)
        {
            long units = s.Random.NextLong(s.Spec.MinTradeUnits, s.Spec.MaxTradeUnits);
            if (s.Spec.MinTradeUnits >= instrument.LotSize && instrument.LotSize > 1)
            {
                units = units / instrument.LotSize * instrument.LotSize;
            }

            s.CumulativeVolumeUnits += units;
            s.TurnoverForAverage += price.ToDouble() * units;
            Quantity traded = Quantity.FromScaled(units, s.Spec.QuantityDecimals);
            tick.Ltq = traded;
            if (s.Spec.SendsTrades)
            {
                tick.Flags |= TickFlags.Trade;
                tick.VenueSequence = ++s.TradeNumber;
            }
            else
            {
                tick.Flags |= TickFlags.CumulativeVolume;
            }
        }

        UpdateDay(s, price);
        if (mode == FeedMode.Ltp)
        {
            return tick;
        }

        tick.Open = s.DayOpen;
        tick.High = s.DayHigh;
        tick.Low = s.DayLow;
        tick.Close = s.PreviousClose;
        if (!instrument.IsTradable)
        {
            return tick;
        }

        if (!s.Spec.SendsTrades)
        {
            tick.Volume = Quantity.FromScaled(s.CumulativeVolumeUnits, s.Spec.QuantityDecimals);
        }

        tick.Atp = Price.FromDouble(s.TurnoverForAverage / Math.Max(1, s.CumulativeVolumeUnits), instrument.TickSize);
        if (s.Spec.BaseOpenInterest > 0)
        {
            s.OpenInterest = Math.Max(0, s.OpenInterest + (s.Random.NextLong(-20, 20) * instrument.LotSize));
            tick.Oi = Quantity.FromUnits(s.OpenInterest);
        }

        if (s.Book is { } book)
        {
            FillFromBook(ref tick, book, withDepth: mode == FeedMode.Full);
        }
        else
        {
            FillBook(ref tick, s, price, withDepth: mode == FeedMode.Full);
        }

        return tick;
    }

    /// <summary>The tick's bid, ask and depth are the book's after this step (venues with books give no order counts).</summary>
    private static void FillFromBook(ref Tick tick, SimulatedBook book, bool withDepth)
    {
        (tick.Bid, tick.BidQty) = (book.Bid(0).Price, book.Bid(0).Quantity);
        (tick.Ask, tick.AskQty) = (book.Ask(0).Price, book.Ask(0).Quantity);
        if (!withDepth)
        {
            return;
        }

        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            if (level < book.BidCount)
            {
                tick.Depth.SetBid(level, new DepthLevel(book.Bid(level).Price, book.Bid(level).Quantity, 0));
            }

            if (level < book.AskCount)
            {
                tick.Depth.SetAsk(level, new DepthLevel(book.Ask(level).Price, book.Ask(level).Quantity, 0));
            }
        }
    }

    private static void FillBook(ref Tick tick, SimulatedInstrument s, Price price, bool withDepth)
    {
        Price tickSize = s.Instrument.TickSize;
        long spread = s.Random.NextLong(1, 3);
        long below = s.Random.NextLong(0, spread);
        Price bid = price - (tickSize * below);
        if (bid.Raw <= 0)
        {
            bid = tickSize;
        }

        Price ask = bid + (tickSize * spread);
        tick.Bid = bid;
        tick.Ask = ask;
        tick.BidQty = RandomSize(s);
        tick.AskQty = RandomSize(s);
        if (!withDepth)
        {
            return;
        }

        tick.Depth.SetBid(0, new DepthLevel(bid, tick.BidQty, (int)s.Random.NextLong(1, 20)));
        tick.Depth.SetAsk(0, new DepthLevel(ask, tick.AskQty, (int)s.Random.NextLong(1, 20)));
        for (int level = 1; level < MarketDepth.Levels; level++)
        {
            Price levelBid = bid - (tickSize * level);
            if (levelBid.Raw > 0)
            {
                tick.Depth.SetBid(level, new DepthLevel(levelBid, RandomSize(s), (int)s.Random.NextLong(1, 30)));
            }

            tick.Depth.SetAsk(level, new DepthLevel(ask + (tickSize * level), RandomSize(s), (int)s.Random.NextLong(1, 30)));
        }
    }

    private static Quantity RandomSize(SimulatedInstrument s) =>
        Quantity.FromScaled(s.Random.NextLong(s.Spec.MinTradeUnits, s.Spec.MaxTradeUnits * 4), s.Spec.QuantityDecimals);

    private static Price NextPrice(SimulatedInstrument s, DateTime nowUtc)
    {
        Price tickSize = s.Instrument.TickSize;
        switch (s.Spec.Model)
        {
            case SimulatedModel.Future:
            {
                double spot = Step(s.Underlying!).ToDouble();
                double years = YearsToExpiry(s.Instrument, nowUtc);
                s.Last = Price.FromDouble(spot * (1 + (RiskFreeRate * years)), tickSize);
                break;
            }

            case SimulatedModel.Option:
            {
                double spot = Step(s.Underlying!).ToDouble();
                double premium = OptionPricer.Price(
                    s.Instrument.Kind == InstrumentKind.Call, spot, s.Instrument.Strike.ToDouble(), YearsToExpiry(s.Instrument, nowUtc), RiskFreeRate, OptionVolatility);
                s.Last = Price.Max(Price.FromDouble(premium, tickSize), tickSize);
                break;
            }

            default:
                Step(s);
                break;
        }

        return s.Last;
    }

    /// <summary>One random-walk step, rounded to the tick; never below one tick.</summary>
    private static Price Step(SimulatedInstrument s)
    {
        double next = s.Last.ToDouble() * Math.Exp(s.Spec.VolatilityPerTick * s.Random.NextGaussian());
        s.Last = Price.Max(Price.FromDouble(next, s.Instrument.TickSize), s.Instrument.TickSize);
        return s.Last;
    }

    private static double YearsToExpiry(Instrument instrument, DateTime nowUtc)
    {
        DateOnly expiry = instrument.Expiry ?? DateOnly.FromDateTime(nowUtc);
        DateTime expiryUtc = SessionCalendar.IndianEquity.SessionOf(expiry).CloseUtc;
        return Math.Max(0, (expiryUtc - nowUtc).TotalDays) / 365.0;
    }

    private static void RollDay(SimulatedInstrument s, DateTime nowUtc)
    {
        if (nowUtc < s.TradingDayKnownUntil)
        {
            return;
        }

        SessionWindow session = s.Instrument.Calendar.CurrentOrNextSession(nowUtc);
        s.TradingDayKnownUntil = session.CloseUtc;
        DateOnly day = session.TradingDay;
        if (day == s.TradingDay)
        {
            return;
        }

        if (s.TradingDay != default)
        {
            s.PreviousClose = s.Last;
        }

        s.TradingDay = day;
        s.DayOpen = Price.None;
        s.DayHigh = Price.None;
        s.DayLow = Price.None;
        s.CumulativeVolumeUnits = 0;
        s.TurnoverForAverage = 0;
    }

    private static void UpdateDay(SimulatedInstrument s, Price price)
    {
        if (!s.DayOpen.HasValue)
        {
            s.DayOpen = price;
            s.DayHigh = price;
            s.DayLow = price;
            return;
        }

        s.DayHigh = Price.Max(s.DayHigh, price);
        s.DayLow = Price.Min(s.DayLow, price);
    }
}
