using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The emulator's exchange: one <see cref="BinanceEmulatorSymbol"/> per symbol, moved by the simulator's random walk
/// (one step per 100 ms, so volatility does not depend on the trade rate), and the events of each step for the
/// streams someone wants. Diff and partial depth streams are made every 100 ms (the <c>@100ms</c> ones) and every
/// 1000 ms. The simulator is not thread-safe and REST reads the books, so everything goes through one lock.
/// </summary>
internal sealed class BinanceEmulatorMarket
{
    private static readonly TimeSpan s_bookStep = TimeSpan.FromMilliseconds(100);
    private static readonly int[] s_partialLevels = [5, 10, 20];
    private readonly Lock _gate = new();
    private readonly SimulatorMarket _simulator;
    private readonly Dictionary<string, BinanceEmulatorSymbol> _symbols = new(StringComparer.Ordinal);
    private readonly double _tradesPerSecond;
    private DateTime _nextBookStep;
    private long _bookSteps;
    private volatile bool _frozen;

    public BinanceEmulatorMarket(IReadOnlyList<BinanceSymbolSpec> specs, int seed, int levels, double tradesPerSecond, DateTime startUtc)
    {
        _tradesPerSecond = tradesPerSecond;
        Specs = specs;
        var registry = new InstrumentRegistry();
        var simulated = new List<(SimulatedSpec, Instrument)>();
        foreach (BinanceSymbolSpec spec in specs)
        {
            var path = new BinancePricePath(spec, DeterministicRandom.SeedFor(seed, "binance-history:" + spec.Symbol));
            Instrument instrument = registry.Register(new Instrument
            {
                Exchange = "BINANCE", TradingSymbol = spec.Symbol, Name = spec.BaseAsset, Kind = InstrumentKind.Spot, TickSize = spec.TickSize,
                LotSize = 1, Calendar = SessionCalendar.Crypto, Feed = "binance-emulator", NativeKey = spec.Symbol,
            });
            var symbol = new BinanceEmulatorSymbol(spec, instrument.Id, path, levels, startUtc, seed);
            _symbols[spec.Symbol] = symbol;
            simulated.Add((new SimulatedSpec(instrument, Price.FromRaw(symbol.StartPrice).ToDecimal(), spec.VolatilityPerSqrtSecond * Math.Sqrt(365 * 86_400.0),
                SimulatedModel.RandomWalk, null, spec.MinTradeSteps, spec.MaxTradeSteps, spec.QuantityDecimals, SendsTrades: true, 0), instrument));
        }

        _simulator = new SimulatorMarket(simulated, seed);
        _nextBookStep = startUtc;
    }

    public IReadOnlyList<BinanceSymbolSpec> Specs { get; }

    /// <summary>While frozen nothing trades or moves; pending diffs are still sent, so clients catch up with a still book.</summary>
    public bool Frozen { get => _frozen; set => _frozen = value; }

    public bool Knows(string symbol) => _symbols.ContainsKey(symbol);

    public (long LastUpdateId, IReadOnlyList<BinanceLevel> Bids, IReadOnlyList<BinanceLevel> Asks) Depth(string symbol, int limit)
    {
        lock (_gate)
        {
            BinanceEmulatorBook book = _symbols[symbol].Book;
            return (book.UpdateId, book.Top(bids: true, limit), book.Top(bids: false, limit));
        }
    }

    public (BinanceLevel Bid, BinanceLevel Ask) Top(string symbol)
    {
        lock (_gate)
        {
            return _symbols[symbol].Top;
        }
    }

    public long LastPrice(string symbol)
    {
        lock (_gate)
        {
            return _symbols[symbol].LastPrice;
        }
    }

    /// <summary>Valid frames' material for fuzzing: the symbol's last trade and its top of book.</summary>
    public (long TradeId, long Price, long Quantity, long UpdateId, BinanceLevel Bid, BinanceLevel Ask) Latest(string symbol)
    {
        lock (_gate)
        {
            BinanceEmulatorSymbol s = _symbols[symbol];
            (BinanceLevel bid, BinanceLevel ask) = s.Top;
            return (s.NextTradeId - 1, s.LastPrice, Math.Max(s.LastQuantity, s.Spec.StepSize.Raw), s.Book.UpdateId, bid, ask);
        }
    }

    public string Klines(string symbol, BinanceKlineInterval interval, long? startMs, long? endMs, int limit, long nowMs)
    {
        lock (_gate)
        {
            BinanceEmulatorSymbol s = _symbols[symbol];
            IReadOnlyList<long> opens = BinanceKlines.Opens(interval, BinanceJson.UnixMilliseconds(s.Spec.ListedUtc), startMs, endMs, limit, nowMs);
            return BinanceKlines.Json(s.Path, s.Live, s.StartPrice, interval, opens, nowMs);
        }
    }

    /// <summary>Trades due by <paramref name="now"/> and, every 100 ms, the book step; the events of the <paramref name="wanted"/> streams.</summary>
    public List<BinanceStreamEvent> Step(DateTime now, IReadOnlySet<string> wanted, BinanceEmulatorFaults faults)
    {
        var events = new List<BinanceStreamEvent>();
        lock (_gate)
        {
            bool bookStep = now >= _nextBookStep;
            if (bookStep)
            {
                _bookSteps++;
                _nextBookStep = now - _nextBookStep > TimeSpan.FromSeconds(1) ? now + s_bookStep : _nextBookStep + s_bookStep;
            }

            foreach (BinanceEmulatorSymbol symbol in _symbols.Values)
            {
                if (!_frozen && _tradesPerSecond > 0)
                {
                    Trades(symbol, now, wanted, faults, events);
                }

                if (bookStep)
                {
                    BookStep(symbol, now, slow: _bookSteps % 10 == 0, wanted, faults, events);
                }
            }
        }

        return events;
    }

    private void Trades(BinanceEmulatorSymbol symbol, DateTime now, IReadOnlySet<string> wanted, BinanceEmulatorFaults faults, List<BinanceStreamEvent> events)
    {
        if (symbol.NextTradeDue == default)
        {
            symbol.NextTradeDue = now.AddSeconds(symbol.NextTradeGap(_tradesPerSecond));
        }

        string tradeStream = symbol.Spec.StreamSymbol + "@trade";
        string tickerStream = symbol.Spec.StreamSymbol + "@bookTicker";
        int cap = (int)Math.Min(10_000, 10 + _tradesPerSecond);
        for (int made = 0; symbol.NextTradeDue <= now; made++)
        {
            if (made == cap)
            {
                // Far behind (a stalled loop): the missed trades never happened.
                symbol.NextTradeDue = now.AddSeconds(symbol.NextTradeGap(_tradesPerSecond));
                break;
            }

            BinanceTrade trade = symbol.Trade(symbol.NextTradeDue, symbol.Fair);
            symbol.NextTradeDue = symbol.NextTradeDue.AddSeconds(symbol.NextTradeGap(_tradesPerSecond));
            (BinanceLevel bid, BinanceLevel ask) = symbol.Top;
            symbol.PublishedTop = (bid, ask);
            if (!wanted.Contains(tradeStream) && !wanted.Contains(tickerStream))
            {
                continue;
            }

            // One tick for the trade and the top it left, distorted together (absurd price or size, crossed top, time shift).
            var tick = new Tick(symbol.Instrument)
            {
                ExchangeTime = trade.Time, Ltp = Price.FromRaw(trade.Price), Ltq = Quantity.FromRaw(trade.Quantity), VenueSequence = trade.Id,
                Bid = Price.FromRaw(bid.Price), BidQty = Quantity.FromRaw(bid.Quantity), Ask = Price.FromRaw(ask.Price), AskQty = Quantity.FromRaw(ask.Quantity),
                Volume = Quantity.FromRaw(symbol.Volume), Flags = TickFlags.Trade, Source = TickSource.Stream,
            };
            faults.Shared.Distort(ref tick);
            string name = symbol.Spec.Symbol;
            if (wanted.Contains(tradeStream))
            {
                var sent = new Tick(symbol.Instrument)
                {
                    ExchangeTime = tick.ExchangeTime, Ltp = tick.Ltp, Ltq = tick.Ltq, VenueSequence = trade.Id, Flags = TickFlags.Trade,
                    Updates = TickFields.Trade, Source = TickSource.Stream,
                };
                DateTime eventTime = now + (tick.ExchangeTime - trade.Time);
                events.Add(new BinanceStreamEvent(tradeStream, name, BinanceEventJson.Trade(name, trade.Id, tick.Ltp, tick.Ltq, tick.ExchangeTime, eventTime, trade.BuyerMaker), sent));
            }

            if (wanted.Contains(tickerStream))
            {
                events.Add(BookTicker(symbol, new BinanceLevel(tick.Bid.Raw, tick.BidQty.Raw), new BinanceLevel(tick.Ask.Raw, tick.AskQty.Raw), tickerStream));
            }
        }
    }

    private void BookStep(BinanceEmulatorSymbol symbol, DateTime now, bool slow, IReadOnlySet<string> wanted, BinanceEmulatorFaults faults, List<BinanceStreamEvent> events)
    {
        if (!_frozen)
        {
            symbol.Fair = _simulator.Next(symbol.Instrument, now, FeedMode.Ltp).Ltp.Raw;
            symbol.Requote(symbol.Fair);
        }

        string prefix = symbol.Spec.StreamSymbol;
        (BinanceLevel bid, BinanceLevel ask) = symbol.Top;
        if (symbol.PublishedTop != (bid, ask))
        {
            symbol.PublishedTop = (bid, ask);
            if (wanted.Contains(prefix + "@bookTicker"))
            {
                events.Add(BookTicker(symbol, bid, ask, prefix + "@bookTicker"));
            }
        }

        DateTime eventTime = now.AddSeconds(faults.Shared.TimeShiftSeconds);
        Depth(symbol, fast: true, prefix + "@depth@100ms", eventTime, wanted, faults, events);
        if (slow)
        {
            Depth(symbol, fast: false, prefix + "@depth", eventTime, wanted, faults, events);
        }

        foreach (int levels in s_partialLevels)
        {
            foreach ((string stream, bool due) in new[] { ($"{prefix}@depth{levels}@100ms", true), ($"{prefix}@depth{levels}", slow) })
            {
                if (due && wanted.Contains(stream))
                {
                    events.Add(new BinanceStreamEvent(stream, symbol.Spec.Symbol,
                        BinanceEventJson.PartialDepth(symbol.Book.UpdateId, symbol.Book.Top(bids: true, levels), symbol.Book.Top(bids: false, levels))));
                }
            }
        }
    }

    private static void Depth(BinanceEmulatorSymbol symbol, bool fast, string stream, DateTime eventTime, IReadOnlySet<string> wanted, BinanceEmulatorFaults faults, List<BinanceStreamEvent> events)
    {
        // Taken whether or not anyone listens: a diff covers the ids since the last one, as on Binance.
        BinanceDiff? diff = symbol.Book.TakeDiff(fast);
        if (diff is null || !wanted.Contains(stream) || faults.TakeDepthGap(symbol.Spec.Symbol, fast))
        {
            return;
        }

        events.Add(new BinanceStreamEvent(stream, symbol.Spec.Symbol, BinanceEventJson.DepthUpdate(symbol.Spec.Symbol, eventTime, diff)));
    }

    private static BinanceStreamEvent BookTicker(BinanceEmulatorSymbol symbol, BinanceLevel bid, BinanceLevel ask, string stream)
    {
        var sent = new Tick(symbol.Instrument)
        {
            Bid = Price.FromRaw(bid.Price), BidQty = Quantity.FromRaw(bid.Quantity), Ask = Price.FromRaw(ask.Price), AskQty = Quantity.FromRaw(ask.Quantity),
            VenueSequence = symbol.Book.UpdateId, Updates = TickFields.TopOfBook, Source = TickSource.Stream,
        };
        return new BinanceStreamEvent(stream, symbol.Spec.Symbol, BinanceEventJson.BookTicker(symbol.Spec.Symbol, symbol.Book.UpdateId, bid, ask), sent);
    }
}
