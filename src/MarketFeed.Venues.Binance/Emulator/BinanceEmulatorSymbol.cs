using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The market of one symbol: a book of <c>levels</c> per side quoted around the simulator's price (re-quoted every
/// 100 ms, with some levels changing, appearing and going away), and trades that take liquidity at the touch.
/// Not thread-safe: the market's lock guards it.
/// </summary>
internal sealed class BinanceEmulatorSymbol
{
    private const int MaxFill = 20;
    private readonly int _levels;
    private readonly DeterministicRandom _random;
    private readonly long _tick;
    private readonly long _step;

    public BinanceEmulatorSymbol(BinanceSymbolSpec spec, InstrumentId instrument, BinancePricePath path, int levels, DateTime startUtc, int seed)
    {
        Spec = spec;
        Instrument = instrument;
        Path = path;
        _levels = levels;
        _tick = spec.TickSize.Raw;
        _step = spec.StepSize.Raw;
        _random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, "binance-book:" + spec.Symbol));
        Live = new BinanceLiveTrades(startUtc);
        StartPrice = Math.Max(_tick, (long)Math.Round(path.Price(Live.StartMs) * 100_000_000 / _tick, MidpointRounding.AwayFromZero) * _tick);
        LastPrice = StartPrice;
        Fair = StartPrice;
        Book = new BinanceEmulatorBook(30_000_000_000 + (long)(_random.NextULong() % 10_000_000_000));
        NextTradeId = 3_000_000_000 + (long)(_random.NextULong() % 1_000_000_000);
        SeedBook(StartPrice);
    }

    public BinanceSymbolSpec Spec { get; }

    /// <summary>The symbol's instrument in the simulator (it moves the price the book is quoted around).</summary>
    public InstrumentId Instrument { get; }

    public BinancePricePath Path { get; }

    public BinanceEmulatorBook Book { get; }

    public BinanceLiveTrades Live { get; }

    /// <summary>The price where simulated history ends and the simulator starts (raw).</summary>
    public long StartPrice { get; }

    /// <summary>The simulator's latest price (raw), which the book is quoted around.</summary>
    public long Fair { get; set; }

    public long LastPrice { get; private set; }

    public long LastQuantity { get; private set; }

    /// <summary>Base volume traded since the start (raw): what an absurd trade exceeds.</summary>
    public long Volume { get; private set; }

    public long NextTradeId { get; private set; }

    public DateTime NextTradeDue { get; set; }

    /// <summary>The top of book last published on <c>@bookTicker</c>.</summary>
    public (BinanceLevel Bid, BinanceLevel Ask) PublishedTop { get; set; }

    public (BinanceLevel Bid, BinanceLevel Ask) Top => (Book.Level(bids: true, 0), Book.Level(bids: false, 0));

    /// <summary>Seconds to the next trade: exponential, so trades arrive as a Poisson stream of <paramref name="perSecond"/>.</summary>
    public double NextTradeGap(double perSecond) => -Math.Log(1 - _random.NextDouble()) / perSecond;

    /// <summary>A taker order against the touch: more often a buy when the price has moved above the mid.</summary>
    public BinanceTrade Trade(DateTime time, long fair)
    {
        (BinanceLevel bid, BinanceLevel ask) = Top;
        double lean = Math.Clamp((fair - ((bid.Price + ask.Price) / 2.0)) / (4.0 * _tick), -0.35, 0.35);
        bool takerBuys = _random.NextDouble() < 0.5 + lean;
        BinanceLevel touch = takerBuys ? ask : bid;
        double u = _random.NextDouble();
        long steps = Spec.MinTradeSteps + (long)((Spec.MaxTradeSteps - Spec.MinTradeSteps) * u * u * u);
        long quantity = Math.Min(steps * _step, touch.Quantity);
        Book.Set(!takerBuys, touch.Price, touch.Quantity - quantity);
        Refill();
        LastPrice = touch.Price;
        LastQuantity = quantity;
        Volume += quantity;
        var trade = new BinanceTrade(NextTradeId++, touch.Price, quantity, time, BuyerMaker: !takerBuys);
        Live.Record(BinanceJson.UnixMilliseconds(time), trade.Price, trade.Quantity, trade.BuyerMaker);
        return trade;
    }

    /// <summary>The 100 ms step of the market makers: quote around <paramref name="fair"/>, change some levels, keep the depth.</summary>
    public void Requote(long fair)
    {
        long spread = _random.NextDouble() < 0.75 ? 1 : 2;
        long bidTarget = Math.Max(_tick, fair / _tick * _tick);
        long askTarget = bidTarget + (spread * _tick);
        while (Book.Count(bids: true) > 0 && Book.Level(bids: true, 0).Price > bidTarget)
        {
            Book.Set(bids: true, Book.Level(bids: true, 0).Price, 0);
        }

        while (Book.Count(bids: false) > 0 && Book.Level(bids: false, 0).Price < askTarget)
        {
            Book.Set(bids: false, Book.Level(bids: false, 0).Price, 0);
        }

        Fill(bids: true, bidTarget);
        Fill(bids: false, askTarget);
        for (int changes = 3 + (int)_random.NextLong(0, 10); changes > 0; changes--)
        {
            Churn(_random.NextDouble() < 0.5);
        }

        Refill();
    }

    private void SeedBook(long price)
    {
        long bid = price;
        long ask = price + _tick;
        for (int i = 0; i < _levels; i++)
        {
            Book.Seed(bids: false, ask, RandomSize());
            ask += _tick * _random.NextLong(1, 3);
            if (bid > 0)
            {
                Book.Seed(bids: true, bid, RandomSize());
                bid -= _tick * _random.NextLong(1, 3);
            }
        }
    }

    /// <summary>
    /// When the price moved away from the side's best, new levels from the target towards the old best: at most 20,
    /// one tick apart at the target and further apart towards the old best, so the top is never a hole.
    /// </summary>
    private void Fill(bool bids, long target)
    {
        long direction = bids ? -1 : 1;
        long gap = Book.Count(bids) == 0 ? MaxFill : (bids ? target - Book.Level(bids, 0).Price : Book.Level(bids, 0).Price - target) / _tick;
        long previous = -1;
        for (long i = 0; i < MaxFill; i++)
        {
            long offset = Math.Max(previous + 1, i * i * gap / (MaxFill * MaxFill));
            long price = target + (direction * offset * _tick);
            if (offset >= gap || price <= 0)
            {
                return;
            }

            Book.Set(bids, price, RandomSize());
            previous = offset;
        }
    }

    /// <summary>One change somewhere in the side, most often near the top: a new size, a level gone, or a new level next to one.</summary>
    private void Churn(bool bids)
    {
        int count = Book.Count(bids);
        double u = _random.NextDouble();
        BinanceLevel level = Book.Level(bids, (int)(count * u * u * u));
        double what = _random.NextDouble();
        if (what < 0.6)
        {
            Book.Set(bids, level.Price, RandomSize());
        }
        else if (what < 0.8 && count > 1)
        {
            Book.Set(bids, level.Price, 0);
        }
        else
        {
            long price = level.Price + ((bids ? -1 : 1) * _tick);
            if (price > 0 && !Book.Contains(bids, price))
            {
                Book.Set(bids, price, RandomSize());
            }
        }
    }

    /// <summary>Exactly <c>levels</c> per side: the farthest go, or new ones are added past the farthest.</summary>
    private void Refill()
    {
        foreach (bool bids in (ReadOnlySpan<bool>)[true, false])
        {
            while (Book.Count(bids) > _levels)
            {
                Book.Set(bids, Book.Level(bids, Book.Count(bids) - 1).Price, 0);
            }

            while (Book.Count(bids) > 0 && Book.Count(bids) < _levels)
            {
                long far = Book.Level(bids, Book.Count(bids) - 1).Price;
                long price = far + ((bids ? -1 : 1) * _tick * _random.NextLong(1, 3));
                if (price <= 0)
                {
                    break;
                }

                Book.Set(bids, price, RandomSize());
            }
        }
    }

    private long RandomSize()
    {
        double u = _random.NextDouble();
        return (1 + (long)((Spec.MaxLevelSteps - 1) * u * u)) * _step;
    }
}
