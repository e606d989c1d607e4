using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// Generates realistic ticks. Indices, equities and crypto follow their own random walk in trading time (annual
/// volatility, intraday profile; see <see cref="SimulatedInstrument.AdvanceTo"/>), so volatility does not depend on
/// the tick rate or on what is subscribed. Futures and options are priced off the underlying's price at the same
/// instant (<see cref="DerivativePricing"/>). Tradable instruments without a book quote a spread around the fair
/// value and print at its bid or ask, with five levels of depth in whole lots; instruments with an order book show
/// its best levels. Volume accrues per minute exactly as history reports it; day open/high/low and the previous close
/// continue the instrument's own history. Deterministic: the same seed and the same calls give the same ticks.
/// </summary>
internal sealed class SimulatorMarket
{
    /// <summary>A derivative prices off its underlying's last tick while that is at most this old.</summary>
    private static readonly TimeSpan s_publishedFreshFor = TimeSpan.FromSeconds(5);

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

    /// <summary>
    /// The open interest a candle starting at <paramref name="candleStartUtc"/> reports, as venues' histories do: its
    /// day's closing OI for a past trading day, the live OI for the current one; 0 for what has no OI.
    /// </summary>
    public Quantity CandleOpenInterest(InstrumentId id, DateTime candleStartUtc, DateTime nowUtc)
    {
        if (!_byId.TryGetValue(id, out SimulatedInstrument? s) || s.Spec.BaseOpenInterest <= 0)
        {
            return Quantity.FromUnits(0);
        }

        SessionCalendar calendar = s.Instrument.Calendar;
        DateOnly day = calendar.TradingDayOf(candleStartUtc), current = calendar.TradingDayOf(nowUtc);
        return Quantity.FromUnits(
            day >= current ? s.OpenInterest
            : day == TradingClock.PreviousTradingDay(calendar, current) ? s.PreviousDayOpenInterest(nowUtc)
            : s.ClosingOpenInterest(day));
    }

    /// <summary>The instrument's OI at the previous trading day's close (<see cref="SimulatedInstrument.PreviousDayOpenInterest"/>), or none.</summary>
    public Quantity PreviousDayOpenInterest(InstrumentId id, DateTime nowUtc) =>
        _byId.TryGetValue(id, out SimulatedInstrument? s) && s.PreviousDayOpenInterest(nowUtc) is >= 0 and long units ? Quantity.FromUnits(units) : Quantity.None;

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
        double fair = FairPrice(s, nowUtc);
        RollDay(s, nowUtc);
        Instrument instrument = s.Instrument;
        Price tickSize = instrument.TickSize;
        Price bid = Price.None;
        Price ask = Price.None;
        Price price;
        if (!instrument.IsTradable || s.Book is not null)
        {
            price = DerivativePricing.Round(fair, tickSize);
        }
        else
        {
            // A quote around the fair value, the trade at its bid or its ask (the bid–ask bounce of real prints).
            int spreadTicks = DerivativePricing.SpreadTicks(s, fair) + (s.Random.NextDouble() < 0.3 ? 1 : 0);
            bid = DerivativePricing.Round(fair - (spreadTicks * tickSize.ToDouble() / 2), tickSize);
            ask = bid + (tickSize * spreadTicks);
            price = s.Random.NextDouble() < 0.5 ? bid : ask;
        }

        s.Last = price;
        s.LastPublished = nowUtc;
        s.Book?.Step(price);
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
            long units = TradeUnits(s, nowUtc);
            s.TurnoverForAverage += price.ToDouble() * units;
            tick.Ltq = Quantity.FromScaled(units, s.Spec.QuantityDecimals);
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
            FillBook(ref tick, s, bid, ask, withDepth: mode == FeedMode.Full);
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

    private static void FillBook(ref Tick tick, SimulatedInstrument s, Price bid, Price ask, bool withDepth)
    {
        Price tickSize = s.Instrument.TickSize;
        tick.Bid = bid;
        tick.Ask = ask;
        tick.BidQty = RandomSize(s, 0);
        tick.AskQty = RandomSize(s, 0);
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
                tick.Depth.SetBid(level, new DepthLevel(levelBid, RandomSize(s, level), (int)s.Random.NextLong(1, 30)));
            }

            tick.Depth.SetAsk(level, new DepthLevel(ask + (tickSize * level), RandomSize(s, level), (int)s.Random.NextLong(1, 30)));
        }
    }

    /// <summary>A depth level's size: whole lots for derivatives (all the exchange accepts), larger away from the touch.</summary>
    private static Quantity RandomSize(SimulatedInstrument s, int level)
    {
        long lot = LotUnits(s);
        long minLots = Math.Max(1, s.Spec.MinTradeUnits / lot);
        long maxLots = Math.Max(minLots, Math.Max(1, s.Spec.MaxTradeUnits / lot) * (4 + level) / 4);
        return Quantity.FromScaled(s.Random.NextLong(minLots, maxLots) * lot, s.Spec.QuantityDecimals);
    }

    /// <summary>The smallest tradable quantity in the instrument's units: a lot of a derivative, else the minimum trade.</summary>
    private static long LotUnits(SimulatedInstrument s) =>
        s.Instrument.Exchange == "NFO" ? Math.Max(1, s.Instrument.LotSize) : Math.Max(1, s.Spec.MinTradeUnits);

    /// <summary>
    /// This trade's quantity: the volume the day's minutes have accrued since the last tick (the per-minute volumes
    /// history reports, so live and history agree and the rate does not depend on how often it ticks), at least a lot.
    /// </summary>
    private static long TradeUnits(SimulatedInstrument s, DateTime nowUtc)
    {
        HistoricalPath history = s.History(nowUtc);
        SessionWindow session = s.DaySession;
        while (s.VolumeMinute + TradingClock.Minute <= nowUtc && s.VolumeMinute < session.CloseUtc)
        {
            s.CountedVolumeUnits += s.VolumeMinuteUnits >= 0 ? s.VolumeMinuteUnits : history.Volume(session, s.VolumeMinute);
            s.VolumeMinute += TradingClock.Minute;
            s.VolumeMinuteUnits = -1;
        }

        long accrued = s.CountedVolumeUnits;
        if (nowUtc > s.VolumeMinute && s.VolumeMinute < session.CloseUtc)
        {
            if (s.VolumeMinuteUnits < 0)
            {
                s.VolumeMinuteUnits = history.Volume(session, s.VolumeMinute);
            }

            double fraction = (nowUtc - s.VolumeMinute).TotalSeconds / 60;
            accrued += (long)(s.VolumeMinuteUnits * fraction);
        }

        long lot = LotUnits(s);
        long units = Math.Max(lot, (accrued - s.CumulativeVolumeUnits) / lot * lot);
        s.CumulativeVolumeUnits += units;
        return units;
    }

    /// <summary>
    /// The fair value now: the instrument's own walk moved to now, or the derivative priced off the underlying's value
    /// as last published (so a client comparing it with the index's last tick sees a consistent chain), or off the
    /// underlying's path now when its ticks are not being sent.
    /// </summary>
    private static double FairPrice(SimulatedInstrument s, DateTime nowUtc)
    {
        s.StartLive(nowUtc);
        if (s.Spec.Model == SimulatedModel.RandomWalk)
        {
            return s.AdvanceTo(nowUtc);
        }

        SimulatedInstrument underlying = s.Underlying!;
        TimeSpan age = nowUtc - underlying.LastPublished;
        double spot = age >= TimeSpan.Zero && age <= s_publishedFreshFor ? underlying.Last.ToDouble() : underlying.AdvanceTo(nowUtc);
        return DerivativePricing.Fair(s, spot, nowUtc);
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

        bool first = s.TradingDay == default;
        s.TradingDay = day;
        s.DaySession = session;
        s.DayOpen = Price.None;
        s.DayHigh = Price.None;
        s.DayLow = Price.None;
        s.CumulativeVolumeUnits = 0;
        s.CountedVolumeUnits = 0;
        s.TurnoverForAverage = 0;
        s.VolumeMinute = session.OpenUtc;
        s.VolumeMinuteUnits = -1;
        if (!first)
        {
            s.PreviousClose = s.Last;
            s.RolledPreviousOpenInterest = s.OpenInterest;
            return;
        }

        // The first tick: the previous close is history's, and the day so far is history's minutes before the live start.
        Price tickSize = s.Instrument.TickSize;
        DateOnly previousDay = TradingClock.PreviousTradingDay(s.Instrument.Calendar, day);
        DateTime previousClose = s.Instrument.Calendar.SessionOf(previousDay).CloseUtc;
        double close = s.Spec.Model == SimulatedModel.RandomWalk
            ? s.History(nowUtc).Close(previousDay)
            : DerivativePricing.Fair(s, s.Underlying!.History(nowUtc).Close(previousDay), previousClose);
        s.PreviousClose = DerivativePricing.Round(close, tickSize);
        for (DateTime minute = session.OpenUtc; minute < s.LiveStart && minute < session.CloseUtc; minute += TradingClock.Minute)
        {
            MinuteBar bar = MinuteBars.At(s, session, minute);
            UpdateDay(s, DerivativePricing.Round(bar.Open, tickSize));
            UpdateDay(s, DerivativePricing.Round(bar.High, tickSize));
            UpdateDay(s, DerivativePricing.Round(bar.Low, tickSize));
            s.CountedVolumeUnits += bar.Volume;
            s.TurnoverForAverage += bar.Volume * bar.Close;
            s.VolumeMinute = minute + TradingClock.Minute;
        }

        s.CumulativeVolumeUnits = s.Instrument.IsTradable ? s.CountedVolumeUnits : 0;
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
