using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The market of one product: a book of <c>levels</c> price steps per side quoted around the simulator's price
/// (re-quoted every 100 ms, some sizes changing), trades that take liquidity at the touch, the last 50 trades and the
/// running 24-hour figures. Not thread-safe: the market's lock guards it.
/// </summary>
internal sealed class CoinbaseEmulatorProduct
{
    public const int RecentTrades = 50;
    private readonly int _levels;
    private readonly DeterministicRandom _random;
    private readonly long _tick;
    private readonly long _step;
    private readonly LinkedList<CoinbaseTrade> _recent = new();

    public CoinbaseEmulatorProduct(CoinbaseProductSpec spec, InstrumentId instrument, int levels, int seed)
    {
        Spec = spec;
        Instrument = instrument;
        _levels = levels;
        _tick = spec.QuoteIncrement.Raw;
        _step = spec.BaseIncrement.Raw;
        _random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, "coinbase-book:" + spec.ProductId));
        StartPrice = Math.Max(_tick, Price.FromDecimal(spec.Price).Raw / _tick * _tick);
        (LastPrice, High, Low, Fair) = (StartPrice, StartPrice, StartPrice, StartPrice);
        NextTradeId = 700_000_000 + (long)(_random.NextULong() % 100_000_000);
        Volume = MaxTradeSize() * 1000;
        Requote(StartPrice);
        Book.TakeChanges();
    }

    public CoinbaseProductSpec Spec { get; }

    public InstrumentId Instrument { get; }

    public CoinbaseEmulatorBook Book { get; } = new();

    public long StartPrice { get; }

    /// <summary>The simulator's latest price (raw), which the book is quoted around.</summary>
    public long Fair { get; set; }

    public long LastPrice { get; private set; }

    public long High { get; private set; }

    public long Low { get; private set; }

    /// <summary>Base volume "in the last 24 hours" (raw): a starting figure plus every trade since.</summary>
    public long Volume { get; private set; }

    public long NextTradeId { get; private set; }

    public DateTime NextTradeDue { get; set; }

    /// <summary>The last trades, newest first.</summary>
    public IReadOnlyList<CoinbaseTrade> Recent => [.. _recent];

    public CoinbaseTickerState Ticker
    {
        get
        {
            (long bid, long bidSize) = Book.Best(bids: true);
            (long ask, long askSize) = Book.Best(bids: false);
            return new CoinbaseTickerState(LastPrice, Volume, High, Low, bid, bidSize, ask, askSize);
        }
    }

    /// <summary>Seconds to the next trade: exponential, so trades arrive as a Poisson stream of <paramref name="perSecond"/>.</summary>
    public double NextTradeGap(double perSecond) => -Math.Log(1 - _random.NextDouble()) / perSecond;

    /// <summary>A taker order against the touch: more often a buy when the price has moved above the mid.</summary>
    public CoinbaseTrade Trade(DateTime time)
    {
        (long bid, long bidSize) = Book.Best(bids: true);
        (long ask, long askSize) = Book.Best(bids: false);
        double lean = Math.Clamp((Fair - ((bid + ask) / 2.0)) / (4.0 * _tick), -0.35, 0.35);
        bool takerBuys = _random.NextDouble() < 0.5 + lean;
        (long price, long available) = takerBuys ? (ask, askSize) : (bid, bidSize);
        double u = _random.NextDouble();
        long size = Math.Max(_step, Math.Min((Spec.MinTradeSteps + (long)((Spec.MaxTradeSteps - Spec.MinTradeSteps) * u * u * u)) * _step, available));
        Book.Set(!takerBuys, price, available - size);
        if (available - size <= 0)
        {
            Requote(Fair);
        }

        LastPrice = price;
        (High, Low) = (Math.Max(High, price), Math.Min(Low, price));
        Volume += size;
        var trade = new CoinbaseTrade(NextTradeId++, price, size, takerBuys ? "BUY" : "SELL", time);
        _recent.AddFirst(trade);
        if (_recent.Count > RecentTrades)
        {
            _recent.RemoveLast();
        }

        return trade;
    }

    /// <summary>The 100 ms step of the market makers: quote around <paramref name="fair"/>, change a few sizes, keep the depth.</summary>
    public void Requote(long fair)
    {
        long bidTop = Math.Max(_tick, fair / _tick * _tick);
        long askTop = bidTop + ((_random.NextDouble() < 0.75 ? 1 : 2) * _tick);
        Side(bids: true, bidTop, bidTop - ((_levels - 1) * _tick));
        Side(bids: false, askTop, askTop + ((_levels - 1) * _tick));
        for (int changes = 2 + (int)_random.NextLong(0, 6); changes > 0; changes--)
        {
            bool bids = _random.NextDouble() < 0.5;
            List<long> prices = Book.Prices(bids);
            if (prices.Count > 0)
            {
                double u = _random.NextDouble();
                Book.Set(bids, prices[(int)(prices.Count * u * u)], RandomSize());
            }
        }
    }

    private void Side(bool bids, long top, long far)
    {
        (long nearest, long farthest) = bids ? (top, Math.Max(_tick, far)) : (top, far);
        foreach (long price in Book.Prices(bids))
        {
            if (bids ? price > nearest || price < farthest : price < nearest || price > farthest)
            {
                Book.Set(bids, price, 0);
            }
        }

        for (long price = nearest; bids ? price >= farthest : price <= farthest; price += bids ? -_tick : _tick)
        {
            if (!Book.Contains(bids, price))
            {
                Book.Set(bids, price, RandomSize());
            }
        }
    }

    private long MaxTradeSize() => Spec.MaxTradeSteps * _step;

    private long RandomSize()
    {
        double u = _random.NextDouble();
        return (Spec.MinTradeSteps + (long)((Spec.MaxLevelSteps - Spec.MinTradeSteps) * u * u)) * _step;
    }
}
