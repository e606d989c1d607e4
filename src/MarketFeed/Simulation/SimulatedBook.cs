using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The L2 book of one simulated instrument. Each step puts a touch level on each side around the last price (1 to 3
/// ticks wide, the price between them) over a fixed grid of deeper levels, keeps the sizes of levels that stay, sizes
/// new ones (larger further out), resizes the touch and a few random levels, and records what changed as one diff
/// covering the next one to three update ids. A step allocates nothing. Deterministic with its seed.
/// </summary>
internal sealed class SimulatedBook
{
    // Grid spacing as a fraction of the base price: about one grid level per step of the simulated random walk.
    private const double GridFraction = 0.0002;

    private readonly long _tick;
    private readonly long _grid;
    private readonly int _levels;
    private readonly long _minSize;
    private readonly long _maxSize;
    private readonly long _sizeStep;
    private readonly DeterministicRandom _random;
    private readonly Side _bids;
    private readonly Side _asks;

    public SimulatedBook(Price tickSize, decimal basePrice, int levels, int quantityDecimals, long maxTradeUnits, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        _tick = tickSize.Raw;
        _grid = _tick * Math.Max(1, (long)Math.Round((double)basePrice * GridFraction / tickSize.ToDouble()));
        _levels = levels;
        _sizeStep = quantityDecimals > 5 ? FixedPoint.PowerOfTen(quantityDecimals - 5) : 1;
        _minSize = Math.Max(_sizeStep, maxTradeUnits / 50);
        _maxSize = Math.Max(_minSize, maxTradeUnits * 2);
        _random = new DeterministicRandom(seed);
        _bids = new Side(bids: true, levels, quantityDecimals);
        _asks = new Side(bids: false, levels, quantityDecimals);
        LastUpdateId = _random.NextLong(1_000_000, 9_999_999);
    }

    /// <summary>First update id of the last step's diff (it covers ids <see cref="FirstUpdateId"/> to <see cref="LastUpdateId"/>).</summary>
    public long FirstUpdateId { get; private set; }

    public long LastUpdateId { get; private set; }

    public int BidCount => _bids.Count;

    public int AskCount => _asks.Count;

    /// <summary>Level <paramref name="level"/> of a side, 0 being the best.</summary>
    public BookLevelChange Bid(int level) => _bids.At(level);

    public BookLevelChange Ask(int level) => _asks.At(level);

    /// <summary>Moves the book to <paramref name="last"/> (a price on the tick grid) and records the changes as the next diff.</summary>
    public void Step(Price last)
    {
        long spread = _random.NextLong(1, 3);
        long below = _random.NextLong(0, spread);
        long bid = Math.Max(_tick, last.Raw - (below * _tick));
        Rebuild(_bids, bid);
        Rebuild(_asks, bid + (spread * _tick));
        FirstUpdateId = LastUpdateId + 1;
        LastUpdateId += _random.NextLong(1, 3);
    }

    /// <summary>Fills <paramref name="update"/> with the last step's changes (qty 0: the level is gone).</summary>
    public void WriteDiff(BookUpdate update, InstrumentId instrument, DateTime nowUtc)
    {
        Describe(update, instrument, nowUtc, snapshot: false);
        foreach (BookLevelChange change in _bids.Changes)
        {
            update.AddBid(change.Price, change.Quantity);
        }

        foreach (BookLevelChange change in _asks.Changes)
        {
            update.AddAsk(change.Price, change.Quantity);
        }
    }

    /// <summary>Fills <paramref name="update"/> with the whole book as of <see cref="LastUpdateId"/>.</summary>
    public void WriteSnapshot(BookUpdate update, InstrumentId instrument, DateTime nowUtc)
    {
        Describe(update, instrument, nowUtc, snapshot: true);
        for (int i = 0; i < _bids.Count; i++)
        {
            BookLevelChange level = _bids.At(i);
            update.AddBid(level.Price, level.Quantity);
        }

        for (int i = 0; i < _asks.Count; i++)
        {
            BookLevelChange level = _asks.At(i);
            update.AddAsk(level.Price, level.Quantity);
        }
    }

    private void Describe(BookUpdate update, InstrumentId instrument, DateTime nowUtc, bool snapshot)
    {
        update.Instrument = instrument;
        update.IsSnapshot = snapshot;
        update.FirstUpdateId = snapshot ? LastUpdateId : FirstUpdateId;
        update.LastUpdateId = LastUpdateId;
        update.ExchangeTime = nowUtc;
        update.ReceiveTime = nowUtc;
        update.Source = TickSource.Stream;
        update.Continuity = UpdateIdContinuity.Instance;
    }

    private void Rebuild(Side side, long touch)
    {
        long[] prices = side.NextPrices;
        int count = 0;
        prices[count++] = touch;
        if (side.IsBids)
        {
            for (long grid = (touch - _tick) / _grid * _grid; count < _levels && grid > 0; grid -= _grid)
            {
                prices[count++] = grid;
            }
        }
        else
        {
            for (long grid = (touch + _tick + _grid - 1) / _grid * _grid; count < _levels; grid += _grid)
            {
                prices[count++] = grid;
            }
        }

        // Sizes: levels that stay keep theirs; the touch and a few others trade or get new orders.
        long[] quantities = side.NextQuantities;
        int old = 0;
        for (int i = 0; i < count; i++)
        {
            while (old < side.Count && side.Better(side.Prices[old], prices[i]))
            {
                old++;
            }

            quantities[i] = old < side.Count && side.Prices[old] == prices[i] ? side.Quantities[old] : Size(i);
        }

        quantities[0] = Size(0);
        for (long resized = _random.NextLong(0, 2); resized > 0 && count > 1; resized--)
        {
            int level = (int)_random.NextLong(1, count - 1);
            quantities[level] = Size(level);
        }

        side.Commit(count);
    }

    /// <summary>A level's size in the instrument's quantity units, on the lot step, growing with distance from the touch.</summary>
    private long Size(int level)
    {
        long size = _random.NextLong(_minSize, _maxSize) * (10 + level) / 10;
        return Math.Max(_sizeStep, size / _sizeStep * _sizeStep);
    }

    /// <summary>One side's levels best first (sizes in the instrument's quantity units), the next levels being built, and the changes between them.</summary>
    private sealed class Side(bool bids, int levels, int decimals)
    {
        private long[] _prices = new long[levels];
        private long[] _quantities = new long[levels];
        private long[] _nextPrices = new long[levels];
        private long[] _nextQuantities = new long[levels];
        private readonly BookLevelChange[] _changes = new BookLevelChange[levels * 2];
        private int _changeCount;

        public bool IsBids { get; } = bids;

        public int Count { get; private set; }

        public long[] Prices => _prices;

        public long[] Quantities => _quantities;

        public long[] NextPrices => _nextPrices;

        public long[] NextQuantities => _nextQuantities;

        public ReadOnlySpan<BookLevelChange> Changes => _changes.AsSpan(0, _changeCount);

        public bool Better(long a, long b) => IsBids ? a > b : a < b;

        public BookLevelChange At(int level) =>
            new(Price.FromRaw(_prices[level]), Quantity.FromScaled(_quantities[level], decimals));

        /// <summary>Records the difference between the current and the next levels (both best first), then swaps them in.</summary>
        public void Commit(int count)
        {
            _changeCount = 0;
            int i = 0;
            int j = 0;
            while (i < Count || j < count)
            {
                if (j == count || (i < Count && Better(_prices[i], _nextPrices[j])))
                {
                    Record(_prices[i++], 0);
                }
                else if (i == Count || Better(_nextPrices[j], _prices[i]))
                {
                    Record(_nextPrices[j], _nextQuantities[j]);
                    j++;
                }
                else
                {
                    if (_quantities[i] != _nextQuantities[j])
                    {
                        Record(_nextPrices[j], _nextQuantities[j]);
                    }

                    i++;
                    j++;
                }
            }

            (_prices, _nextPrices) = (_nextPrices, _prices);
            (_quantities, _nextQuantities) = (_nextQuantities, _quantities);
            Count = count;
        }

        private void Record(long price, long quantity) =>
            _changes[_changeCount++] = new BookLevelChange(Price.FromRaw(price), Quantity.FromScaled(quantity, decimals));
    }
}
