using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// The emulator's exchange: one <see cref="KrakenEmulatorPair"/> per pair, moved by the simulator's random walk (one
/// step per 100 ms), and what each step did for the pump to send. The simulator is not thread-safe and REST reads
/// the books, so everything goes through one lock.
/// </summary>
internal sealed class KrakenEmulatorMarket
{
    private static readonly TimeSpan s_bookStep = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private readonly SimulatorMarket _simulator;
    private readonly Dictionary<string, KrakenEmulatorPair> _pairs = new(StringComparer.Ordinal);
    private readonly double _tradesPerSecond;
    private DateTime _nextBookStep;
    private volatile bool _frozen;

    public KrakenEmulatorMarket(IReadOnlyList<KrakenPairSpec> specs, int seed, int levels, double tradesPerSecond, DateTime startUtc)
    {
        _tradesPerSecond = tradesPerSecond;
        Specs = specs;
        StartUtc = startUtc;
        Seed = seed;
        var registry = new InstrumentRegistry();
        var simulated = new List<(SimulatedSpec, Instrument)>();
        foreach (KrakenPairSpec spec in specs)
        {
            Instrument instrument = registry.Register(new Instrument
            {
                Exchange = "KRAKEN", TradingSymbol = spec.Symbol, Name = spec.Symbol, Kind = InstrumentKind.Spot, TickSize = Price.FromRaw(spec.Tick),
                LotSize = 1, Calendar = SessionCalendar.Crypto, Feed = "kraken-emulator", NativeKey = spec.Symbol,
            });
            var pair = new KrakenEmulatorPair(spec, instrument.Id, levels, seed);
            _pairs[spec.Symbol] = pair;
            simulated.Add((new SimulatedSpec(instrument, spec.Price, spec.VolatilityPerSqrtSecond * Math.Sqrt(365 * 86_400.0),
                SimulatedModel.RandomWalk, null, 1, 100, spec.LotDecimals, SendsTrades: true, 0), instrument));
        }

        _simulator = new SimulatorMarket(simulated, seed);
        _nextBookStep = startUtc;
    }

    public IReadOnlyList<KrakenPairSpec> Specs { get; }

    public DateTime StartUtc { get; }

    public int Seed { get; }

    /// <summary>While frozen nothing trades or moves.</summary>
    public bool Frozen { get => _frozen; set => _frozen = value; }

    public bool Knows(string symbol) => _pairs.ContainsKey(symbol);

    public KrakenPairSpec? Spec(string symbol) => _pairs.GetValueOrDefault(symbol)?.Spec;

    /// <summary>The best <paramref name="levels"/> of each side of a pair's book, best first.</summary>
    public (List<(long Price, long Quantity)> Bids, List<(long Price, long Quantity)> Asks) Depth(string symbol, int levels)
    {
        lock (_gate)
        {
            KrakenEmulatorBook book = _pairs[symbol].Book;
            return (book.Top(bids: true, levels), book.Top(bids: false, levels));
        }
    }

    /// <summary>Top of book and last trade (price, quantity, id).</summary>
    public ((long Price, long Quantity) Bid, (long Price, long Quantity) Ask, long Last, long LastQuantity, long NextTradeId) Latest(string symbol)
    {
        lock (_gate)
        {
            KrakenEmulatorPair pair = _pairs[symbol];
            return (pair.Top.Bid, pair.Top.Ask, pair.LastPrice, Math.Max(pair.LastQuantity, pair.Spec.Lot), pair.NextTradeId);
        }
    }

    /// <summary>The pair's OHLC rows (see <see cref="KrakenOhlc"/>).</summary>
    public string Ohlc(KrakenPairSpec spec, int minutes, long since, DateTime now)
    {
        lock (_gate)
        {
            KrakenEmulatorPair pair = _pairs[spec.Symbol];
            return KrakenOhlc.Json(pair, minutes, since, StartUtc, now, Seed);
        }
    }

    /// <summary>
    /// Trades due by <paramref name="now"/> and, every 100 ms, the book step; for the pairs someone wants, what
    /// changed, with the best <paramref name="levels"/> of each side (the deepest subscription and a margin).
    /// </summary>
    public List<KrakenStepEvent> Step(DateTime now, IReadOnlySet<string> wanted, KrakenEmulatorFaults faults, int levels)
    {
        var events = new List<KrakenStepEvent>();
        lock (_gate)
        {
            bool bookStep = now >= _nextBookStep;
            if (bookStep)
            {
                _nextBookStep = now - _nextBookStep > TimeSpan.FromSeconds(1) ? now + s_bookStep : _nextBookStep + s_bookStep;
            }

            foreach (KrakenEmulatorPair pair in _pairs.Values)
            {
                var trades = new List<KrakenTrade>();
                if (!_frozen && _tradesPerSecond > 0)
                {
                    Trades(pair, now, trades);
                }

                bool bookChanged = trades.Count > 0;
                if (bookStep && !_frozen)
                {
                    pair.Fair = _simulator.Next(pair.Instrument, now, FeedMode.Ltp).Ltp.Raw;
                    pair.Requote(pair.Fair);
                    bookChanged = true;
                }

                if (wanted.Contains(pair.Spec.Symbol) && (bookChanged || trades.Count > 0))
                {
                    events.Add(Event(pair, trades, faults, now, levels));
                }
            }
        }

        return events;
    }

    private void Trades(KrakenEmulatorPair pair, DateTime now, List<KrakenTrade> trades)
    {
        if (pair.NextTradeDue == default)
        {
            pair.NextTradeDue = now.AddSeconds(pair.NextTradeGap(_tradesPerSecond));
        }

        int cap = (int)Math.Min(10_000, 10 + _tradesPerSecond);
        while (pair.NextTradeDue <= now)
        {
            if (trades.Count == cap)
            {
                // Far behind (a stalled loop): the missed trades never happened.
                pair.NextTradeDue = now.AddSeconds(pair.NextTradeGap(_tradesPerSecond));
                break;
            }

            trades.Add(pair.Trade(pair.NextTradeDue));
            pair.NextTradeDue = pair.NextTradeDue.AddSeconds(pair.NextTradeGap(_tradesPerSecond));
        }
    }

    private static KrakenStepEvent Event(KrakenEmulatorPair pair, List<KrakenTrade> trades, KrakenEmulatorFaults faults, DateTime now, int levels)
    {
        KrakenPairSpec spec = pair.Spec;
        var sent = new List<Tick>(trades.Count);
        var written = new List<KrakenTrade>(trades.Count);
        ((long Price, long Quantity) bid, (long Price, long Quantity) ask) = pair.Top;
        string? tickerJson = null;
        Tick? tickerTick = null;
        foreach (KrakenTrade trade in trades)
        {
            // The shared distortions (absurd prices, a crossed top, time shifts) go into what is written and reported
            // alike: the trade with the top it left, as one tick.
            var tick = new Tick(pair.Instrument)
            {
                ExchangeTime = trade.Time, Ltp = Price.FromRaw(trade.Price), Ltq = Quantity.FromRaw(trade.Quantity), VenueSequence = trade.Id,
                Bid = Price.FromRaw(bid.Price), BidQty = Quantity.FromRaw(bid.Quantity), Ask = Price.FromRaw(ask.Price), AskQty = Quantity.FromRaw(ask.Quantity),
                Flags = TickFlags.Trade, Updates = TickFields.Trade, Source = TickSource.Stream,
            };
            faults.Shared.Distort(ref tick);
            tick.Ltp = Price.FromRaw(tick.Ltp.Raw / spec.Tick * spec.Tick);
            if (tick.Bid > tick.Ask)
            {
                // A crossed top goes out on the ticker (the only place Kraken's top of book is written).
                DateTime crossedTime = now.AddSeconds(faults.Shared.TimeShiftSeconds);
                (long, long) crossedBid = (tick.Bid.Raw, tick.BidQty.Raw);
                (long, long) crossedAsk = (tick.Ask.Raw, tick.AskQty.Raw);
                tickerJson = KrakenJson.Ticker(spec, crossedBid, crossedAsk, pair.LastPrice, snapshot: false, crossedTime);
                tickerTick = TickerTick(pair, crossedBid, crossedAsk);
            }

            sent.Add(new Tick(pair.Instrument)
            {
                ExchangeTime = tick.ExchangeTime, Ltp = tick.Ltp, Ltq = tick.Ltq, VenueSequence = trade.Id, Flags = TickFlags.Trade, Updates = TickFields.Trade, Source = TickSource.Stream,
            });
            written.Add(trade with { Price = tick.Ltp.Raw, Quantity = tick.Ltq.Raw, Time = tick.ExchangeTime });
        }

        string? tradeJson = written.Count > 0 ? KrakenJson.Trades(spec, written, snapshot: false) : null;
        if (tickerJson is null && pair.PublishedTop != (bid, ask))
        {
            pair.PublishedTop = (bid, ask);
            DateTime time = now.AddSeconds(faults.Shared.TimeShiftSeconds);
            pair.TopTime = time;
            tickerJson = KrakenJson.Ticker(spec, bid, ask, pair.LastPrice, snapshot: false, time);
            tickerTick = TickerTick(pair, bid, ask);
        }

        return new KrakenStepEvent(spec, tradeJson, sent, tickerJson, tickerTick,
            pair.Book.Top(bids: true, levels), pair.Book.Top(bids: false, levels), now.AddSeconds(faults.Shared.TimeShiftSeconds));
    }

    public static Tick TickerTick(KrakenEmulatorPair pair, (long Price, long Quantity) bid, (long Price, long Quantity) ask) =>
        new(pair.Instrument)
        {
            Bid = Price.FromRaw(bid.Price), BidQty = Quantity.FromRaw(bid.Quantity), Ask = Price.FromRaw(ask.Price), AskQty = Quantity.FromRaw(ask.Quantity),
            Updates = TickFields.TopOfBook, Source = TickSource.Stream,
        };

    /// <summary>The ticker snapshot a new subscriber gets.</summary>
    public (string Json, Tick Tick) TickerSnapshot(string symbol, DateTime now)
    {
        lock (_gate)
        {
            KrakenEmulatorPair pair = _pairs[symbol];
            DateTime time = pair.TopTime == default ? now : pair.TopTime;
            return (KrakenJson.Ticker(pair.Spec, pair.Top.Bid, pair.Top.Ask, pair.LastPrice, snapshot: true, time), TickerTick(pair, pair.Top.Bid, pair.Top.Ask));
        }
    }
}
