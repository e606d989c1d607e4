using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// The market of one pair: a book of <c>levels</c> per side quoted around the simulator's price (re-quoted every
/// 100 ms, some levels changing, appearing and going away) and trades that take liquidity at the touch, with
/// Kraken's sequential trade ids. Not thread-safe: the market's lock guards it.
/// </summary>
internal sealed class KrakenEmulatorPair
{
    private readonly int _levels;
    private readonly DeterministicRandom _random;
    private readonly long _tick;
    private readonly long _lot;

    public KrakenEmulatorPair(KrakenPairSpec spec, InstrumentId instrument, int levels, int seed)
    {
        Spec = spec;
        Instrument = instrument;
        _levels = levels;
        _tick = spec.Tick;
        _lot = spec.Lot;
        _random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, "kraken-book:" + spec.Symbol));
        StartPrice = Math.Max(_tick, Price.FromDecimal(spec.Price).Raw / _tick * _tick);
        Fair = StartPrice;
        LastPrice = StartPrice;
        NextTradeId = 80_000_000 + (long)(_random.NextULong() % 10_000_000);
        Requote(StartPrice);
    }

    public KrakenPairSpec Spec { get; }

    /// <summary>The pair's instrument in the simulator (it moves the price the book is quoted around).</summary>
    public InstrumentId Instrument { get; }

    public KrakenEmulatorBook Book { get; } = new();

    public long StartPrice { get; }

    /// <summary>The simulator's latest price (raw).</summary>
    public long Fair { get; set; }

    public long LastPrice { get; private set; }

    public long LastQuantity { get; private set; }

    public long NextTradeId { get; private set; }

    public DateTime NextTradeDue { get; set; }

    /// <summary>When the top of book last published on <c>ticker</c> was published: a ticker snapshot carries this time, so a client never sees ticker times go back.</summary>
    public DateTime TopTime { get; set; }

    /// <summary>The top of book last published on <c>ticker</c>.</summary>
    public ((long, long) Bid, (long, long) Ask) PublishedTop { get; set; }

    public ((long Price, long Quantity) Bid, (long Price, long Quantity) Ask) Top => (Book.Best(bids: true), Book.Best(bids: false));

    /// <summary>Trades of the run so far (time, price, quantity), for OHLC since the emulator started.</summary>
    public List<(DateTime Time, long Price, long Quantity)> Trades { get; } = [];

    /// <summary>Seconds to the next trade: exponential, so trades arrive as a Poisson stream of <paramref name="perSecond"/>.</summary>
    public double NextTradeGap(double perSecond) => -Math.Log(1 - _random.NextDouble()) / perSecond;

    /// <summary>A taker order against the touch, more often a buy when the price has moved above the mid.</summary>
    public KrakenTrade Trade(DateTime time)
    {
        ((long Price, long Quantity) bid, (long Price, long Quantity) ask) = Top;
        double lean = Math.Clamp((Fair - ((bid.Price + ask.Price) / 2.0)) / (4.0 * _tick), -0.35, 0.35);
        bool buy = _random.NextDouble() < 0.5 + lean;
        (long price, long available) = buy ? ask : bid;
        double u = _random.NextDouble();
        long lots = Spec.MinTradeLots + (long)((Spec.MaxTradeLots - Spec.MinTradeLots) * u * u * u);
        long quantity = Math.Max(_lot, Math.Min(lots * _lot, available));
        Book.Set(!buy, price, available - quantity);
        Refill();
        LastPrice = price;
        LastQuantity = quantity;
        Trades.Add((time, price, quantity));
        if (Trades.Count > 100_000 && Trades[0].Time < time.AddDays(-1))
        {
            // A day of trades is what OHLC needs from the run; the rest is history's random walk.
            Trades.RemoveAll(t => t.Time < time.AddDays(-1));
        }

        return new KrakenTrade(NextTradeId++, price, quantity, buy, time);
    }

    /// <summary>The 100 ms step of the market makers: quote around <paramref name="fair"/>, change some levels, keep the depth.</summary>
    public void Requote(long fair)
    {
        long bidTarget = Math.Max(_tick, fair / _tick * _tick);
        long askTarget = bidTarget + ((_random.NextDouble() < 0.75 ? 1 : 2) * _tick);
        while (Book.Count(bids: true) > 0 && Book.Best(bids: true).Price > bidTarget)
        {
            Book.Set(bids: true, Book.Best(bids: true).Price, 0);
        }

        while (Book.Count(bids: false) > 0 && Book.Best(bids: false).Price < askTarget)
        {
            Book.Set(bids: false, Book.Best(bids: false).Price, 0);
        }

        Fill(bids: true, bidTarget);
        Fill(bids: false, askTarget);
        for (int changes = 2 + (int)_random.NextLong(0, 6); changes > 0; changes--)
        {
            Churn(_random.NextDouble() < 0.5);
        }

        Refill();
    }

    /// <summary>Levels one tick apart from the target towards the old best (at most 10), so the top is never a hole.</summary>
    private void Fill(bool bids, long target)
    {
        long direction = bids ? -1 : 1;
        for (int i = 0; i < 10; i++)
        {
            long price = target + (direction * i * _tick);
            if (price <= 0 || Book.Contains(bids, price) || (Book.Count(bids) > 0 && (bids ? price <= Book.Best(bids).Price : price >= Book.Best(bids).Price)))
            {
                return;
            }

            Book.Set(bids, price, RandomSize());
        }
    }

    /// <summary>One change near the top of a side: a new size, a level gone, or a new level next to one.</summary>
    private void Churn(bool bids)
    {
        int count = Book.Count(bids);
        if (count == 0)
        {
            return;
        }

        double u = _random.NextDouble();
        (long price, _) = Book.At(bids, (int)(Math.Min(count, 30) * u * u));
        double what = _random.NextDouble();
        if (what < 0.6)
        {
            Book.Set(bids, price, RandomSize());
        }
        else if (what < 0.8 && count > 1)
        {
            Book.Set(bids, price, 0);
        }
        else
        {
            long next = price + ((bids ? -1 : 1) * _tick);
            if (next > 0 && !Book.Contains(bids, next))
            {
                Book.Set(bids, next, RandomSize());
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
                Book.Set(bids, Book.Worst(bids).Price, 0);
            }

            while (Book.Count(bids) < _levels)
            {
                long far = Book.Count(bids) == 0 ? Fair : Book.Worst(bids).Price;
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
        return (1 + (long)((Spec.MaxLevelLots - 1) * u * u)) * _lot;
    }
}
