using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The emulator's exchange: one <see cref="CoinbaseEmulatorProduct"/> per product, moved by the simulator's random walk
/// (one step per 100 ms), and each step's messages for the (channel, product) pairs someone wants: trades as they
/// happen, a ticker per trade and per change of the top, and the book's changes every 100 ms. The simulator is not
/// thread-safe and REST reads the books, so everything goes through one lock.
/// </summary>
internal sealed class CoinbaseEmulatorMarket
{
    private static readonly TimeSpan s_bookStep = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private readonly SimulatorMarket _simulator;
    private readonly Dictionary<string, CoinbaseEmulatorProduct> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CoinbaseTickerState> _publishedTicker = new(StringComparer.Ordinal);
    private readonly double _tradesPerSecond;
    private readonly int _seed;
    private DateTime _nextBookStep;
    private volatile bool _frozen;

    public CoinbaseEmulatorMarket(IReadOnlyList<CoinbaseProductSpec> specs, int seed, int levels, double tradesPerSecond, DateTime startUtc)
    {
        _tradesPerSecond = tradesPerSecond;
        _seed = seed;
        Specs = specs;
        var registry = new InstrumentRegistry();
        var simulated = new List<(SimulatedSpec, Instrument)>();
        foreach (CoinbaseProductSpec spec in specs)
        {
            Instrument instrument = registry.Register(new Instrument
            {
                Exchange = "COINBASE", TradingSymbol = spec.ProductId, Name = spec.BaseCurrency, Kind = InstrumentKind.Spot, TickSize = spec.QuoteIncrement,
                LotSize = 1, Calendar = SessionCalendar.Crypto, Feed = "coinbase-emulator", NativeKey = spec.ProductId,
            });
            var product = new CoinbaseEmulatorProduct(spec, instrument.Id, levels, seed);
            _products[spec.ProductId] = product;
            simulated.Add((new SimulatedSpec(instrument, spec.Price, spec.DailyVolatility * Math.Sqrt(365), SimulatedModel.RandomWalk, null,
                spec.MinTradeSteps, spec.MaxTradeSteps, spec.QuantityDecimals, SendsTrades: true, 0), instrument));
        }

        _simulator = new SimulatorMarket(simulated, seed);
        _nextBookStep = startUtc;
    }

    public IReadOnlyList<CoinbaseProductSpec> Specs { get; }

    /// <summary>While frozen nothing trades or moves.</summary>
    public bool Frozen { get => _frozen; set => _frozen = value; }

    public bool Knows(string product) => _products.ContainsKey(product);

    public IEnumerable<(CoinbaseProductSpec Spec, long Price)> Listing()
    {
        lock (_gate)
        {
            return [.. _products.Values.Select(p => (p.Spec, p.LastPrice))];
        }
    }

    /// <summary>The first message of a new subscription to <paramref name="channel"/> for <paramref name="product"/>: a snapshot.</summary>
    public CoinbaseStreamEvent? Snapshot(string channel, string product, DateTime now)
    {
        lock (_gate)
        {
            if (!_products.TryGetValue(product, out CoinbaseEmulatorProduct? p))
            {
                return null;
            }

            switch (channel)
            {
                case CoinbaseChannels.Level2:
                    (List<(long Price, long Size)> bids, List<(long Price, long Size)> asks) = p.Book.Snapshot();
                    return new CoinbaseStreamEvent(channel, product, now,
                        CoinbaseJson.Level2(true, product, now, bids.Select(l => (true, l.Price, l.Size)).Concat(asks.Select(l => (false, l.Price, l.Size)))), []);
                case CoinbaseChannels.Ticker:
                    CoinbaseTickerState ticker = p.Ticker;
                    return new CoinbaseStreamEvent(channel, product, now, CoinbaseJson.Ticker(true, product, ticker), [TickerTick(p, ticker)]);
                case CoinbaseChannels.Trades:
                    return new CoinbaseStreamEvent(channel, product, now, CoinbaseJson.Trades(true, product, p.Recent), []);
                default:
                    return null;
            }
        }
    }

    /// <summary>The last trades (newest first) and the best bid and ask of a product, for REST.</summary>
    public (IReadOnlyList<CoinbaseTrade> Trades, long Bid, long Ask) Quote(string product)
    {
        lock (_gate)
        {
            CoinbaseEmulatorProduct p = _products[product];
            return (p.Recent, p.Book.Best(bids: true).Price, p.Book.Best(bids: false).Price);
        }
    }

    /// <summary>Material for fuzzed frames: the product's last trade and its ticker.</summary>
    public (CoinbaseTrade? Trade, CoinbaseTickerState Ticker) Latest(string product)
    {
        lock (_gate)
        {
            CoinbaseEmulatorProduct p = _products[product];
            return (p.Recent.Count > 0 ? p.Recent[0] : null, p.Ticker);
        }
    }

    /// <summary>Bars of <paramref name="seconds"/> starting in [<paramref name="start"/>, <paramref name="end"/>) and before now, newest first, at most <paramref name="limit"/>.</summary>
    public string Candles(string product, long seconds, long start, long end, int limit, long nowSeconds)
    {
        long startPrice;
        lock (_gate)
        {
            startPrice = _products[product].StartPrice;
        }

        var path = new CoinbasePricePath(startPrice, _products[product].Spec, DeterministicRandom.SeedFor(_seed, "coinbase-history:" + product));
        var rows = new List<(long, long, long, long, long, long)>();
        long last = Math.Min(end - 1, nowSeconds - seconds) / seconds * seconds;
        for (long open = last; open >= start && rows.Count < limit; open -= seconds)
        {
            rows.Add(path.Bar(open, seconds));
        }

        return CoinbaseJson.Candles(rows);
    }

    /// <summary>Trades due by <paramref name="now"/> and, every 100 ms, the book step; the messages of the <paramref name="wanted"/> (channel, product) pairs.</summary>
    public List<CoinbaseStreamEvent> Step(DateTime now, IReadOnlySet<(string Channel, string Product)> wanted, CoinbaseEmulatorFaults faults)
    {
        var events = new List<CoinbaseStreamEvent>();
        lock (_gate)
        {
            bool bookStep = now >= _nextBookStep;
            if (bookStep)
            {
                _nextBookStep = now - _nextBookStep > TimeSpan.FromSeconds(1) ? now + s_bookStep : _nextBookStep + s_bookStep;
            }

            foreach (CoinbaseEmulatorProduct product in _products.Values)
            {
                string id = product.Spec.ProductId;
                if (!_frozen && _tradesPerSecond > 0)
                {
                    Trades(product, now, wanted, faults, events);
                }

                if (bookStep && !_frozen)
                {
                    product.Fair = _simulator.Next(product.Instrument, now, FeedMode.Ltp).Ltp.Raw;
                    product.Requote(product.Fair);
                }

                if (bookStep)
                {
                    List<(bool Bid, long Price, long Size)> changes = product.Book.TakeChanges();
                    if (changes.Count > 0 && wanted.Contains((CoinbaseChannels.Level2, id)))
                    {
                        DateTime at = now.AddSeconds(faults.Shared.TimeShiftSeconds);
                        events.Add(new CoinbaseStreamEvent(CoinbaseChannels.Level2, id, at, CoinbaseJson.Level2(false, id, at, changes), []));
                    }

                    CoinbaseTickerState ticker = product.Ticker;
                    if (wanted.Contains((CoinbaseChannels.Ticker, id)) && (!_publishedTicker.TryGetValue(id, out CoinbaseTickerState before)
                        || (before.Bid, before.Ask, before.BidSize, before.AskSize) != (ticker.Bid, ticker.Ask, ticker.BidSize, ticker.AskSize)))
                    {
                        events.Add(TickerEvent(product, ticker, now.AddSeconds(faults.Shared.TimeShiftSeconds), faults));
                    }
                }
            }
        }

        return events;
    }

    private void Trades(CoinbaseEmulatorProduct product, DateTime now, IReadOnlySet<(string Channel, string Product)> wanted, CoinbaseEmulatorFaults faults, List<CoinbaseStreamEvent> events)
    {
        if (product.NextTradeDue == default)
        {
            product.NextTradeDue = now.AddSeconds(product.NextTradeGap(_tradesPerSecond));
        }

        string id = product.Spec.ProductId;
        var trades = new List<CoinbaseTrade>();
        var sent = new List<Tick>();
        var tickers = new List<CoinbaseStreamEvent>();
        int cap = (int)Math.Min(10_000, 10 + _tradesPerSecond);
        for (int made = 0; product.NextTradeDue <= now; made++)
        {
            if (made == cap)
            {
                // Far behind (a stalled loop): the missed trades never happened.
                product.NextTradeDue = now.AddSeconds(product.NextTradeGap(_tradesPerSecond));
                break;
            }

            CoinbaseTrade trade = product.Trade(product.NextTradeDue);
            product.NextTradeDue = product.NextTradeDue.AddSeconds(product.NextTradeGap(_tradesPerSecond));
            var tick = new Tick(product.Instrument)
            {
                ExchangeTime = trade.Time, Ltp = Price.FromRaw(trade.Price), Ltq = Quantity.FromRaw(trade.Size), VenueSequence = trade.Id,
                Volume = Quantity.FromRaw(product.Volume), Flags = TickFlags.Trade, Updates = TickFields.Trade, Source = TickSource.Stream,
            };
            faults.Shared.Distort(ref tick);
            trades.Add(trade with { Price = tick.Ltp.Raw, Size = tick.Ltq.Raw, Time = tick.ExchangeTime });
            sent.Add(new Tick(product.Instrument)
            {
                ExchangeTime = tick.ExchangeTime, Ltp = tick.Ltp, Ltq = tick.Ltq, VenueSequence = trade.Id, Flags = TickFlags.Trade,
                Updates = TickFields.Trade, Source = TickSource.Stream,
            });
            if (wanted.Contains((CoinbaseChannels.Ticker, id)))
            {
                tickers.Add(TickerEvent(product, product.Ticker with { Price = tick.Ltp.Raw }, now.AddSeconds(faults.Shared.TimeShiftSeconds), faults));
            }
        }

        if (trades.Count > 0 && wanted.Contains((CoinbaseChannels.Trades, id)))
        {
            trades.Reverse();
            sent.Reverse();
            events.Add(new CoinbaseStreamEvent(CoinbaseChannels.Trades, id, now.AddSeconds(faults.Shared.TimeShiftSeconds), CoinbaseJson.Trades(false, id, trades), sent));
        }

        // The trades go first, then the tickers they moved (which carry their last price).
        events.AddRange(tickers);
    }

    /// <summary>A ticker message, its top and 24-hour figures distorted together by the <c>absurd</c> fault (a crossed top, high below low).</summary>
    private CoinbaseStreamEvent TickerEvent(CoinbaseEmulatorProduct product, CoinbaseTickerState ticker, DateTime time, CoinbaseEmulatorFaults faults)
    {
        string id = product.Spec.ProductId;
        _publishedTicker[id] = ticker;
        var tick = new Tick(product.Instrument)
        {
            ExchangeTime = time, Ltp = Price.FromRaw(ticker.Price), Bid = Price.FromRaw(ticker.Bid), BidQty = Quantity.FromRaw(ticker.BidSize),
            Ask = Price.FromRaw(ticker.Ask), AskQty = Quantity.FromRaw(ticker.AskSize), High = Price.FromRaw(ticker.High), Low = Price.FromRaw(ticker.Low),
            Volume = Quantity.FromRaw(ticker.Volume),
        };
        if (tick.Ltp.Raw > 0)
        {
            faults.Shared.Distort(ref tick);
        }

        var distorted = new CoinbaseTickerState(ticker.Price, tick.Volume.Raw, tick.High.Raw, tick.Low.Raw, tick.Bid.Raw, tick.BidQty.Raw, tick.Ask.Raw, tick.AskQty.Raw);
        return new CoinbaseStreamEvent(CoinbaseChannels.Ticker, id, tick.ExchangeTime, CoinbaseJson.Ticker(false, id, distorted), [TickerTick(product, distorted)]);
    }

    private static Tick TickerTick(CoinbaseEmulatorProduct product, CoinbaseTickerState t) => new(product.Instrument)
    {
        Bid = Price.FromRaw(t.Bid), BidQty = Quantity.FromRaw(t.BidSize), Ask = Price.FromRaw(t.Ask), AskQty = Quantity.FromRaw(t.AskSize),
        High = Price.FromRaw(t.High), Low = Price.FromRaw(t.Low), Volume = Quantity.FromRaw(t.Volume),
        Updates = TickFields.TopOfBook | TickFields.DayStats, Source = TickSource.Stream,
    };
}
