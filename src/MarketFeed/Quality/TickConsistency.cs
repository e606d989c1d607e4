using MarketFeed.Model;

namespace MarketFeed.Quality;

/// <summary>
/// Whether a tick agrees with itself, for any venue: the day's range holds the last and opening prices, the top of
/// the book is not crossed, the depth is sorted, a trade is not larger than the day's volume, and no value is beyond
/// what a real instrument can show. Reads the tick in place; allocates nothing.
/// </summary>
internal static class TickConsistency
{
    /// <summary>
    /// The largest price accepted: one billion. Real INR and USD prices are far below it (the dearest listed shares
    /// and coins are in the hundreds of thousands to tens of millions), while a corrupt field usually is not.
    /// </summary>
    public static readonly Price MaxPrice = Price.FromRaw(1_000_000_000L * FixedPoint.Factor);

    /// <summary>
    /// The largest quantity accepted (trade, day volume, book size, open interest): ten billion units, above the
    /// busiest day volume of any share (a few billion).
    /// </summary>
    public static readonly Quantity MaxQuantity = Quantity.FromRaw(10_000_000_000L * FixedPoint.Factor);

    /// <summary>Call only after prices were found positive and quantities non-negative.</summary>
    public static bool IsConsistent(in Tick tick)
    {
        if (!WithinLimits(in tick))
        {
            return false;
        }

        Price high = tick.High;
        Price low = tick.Low;
        if (high.HasValue && low.HasValue
            && (high < low || OutsideRange(tick.Ltp, low, high) || OutsideRange(tick.Open, low, high)))
        {
            return false;
        }

        if (tick.Bid.HasValue && tick.Ask.HasValue && tick.Bid > tick.Ask)
        {
            return false;
        }

        // A day volume of 0 is a day with no trade yet, whose last trade quantity is from an earlier session.
        if ((tick.Flags & TickFlags.CumulativeVolume) != 0 && tick.Ltq.HasValue && tick.Volume.HasValue
            && tick.Volume.Raw > 0 && tick.Ltq > tick.Volume)
        {
            return false;
        }

        return DepthIsOrdered(in tick.Depth);
    }

    /// <summary>A level priced below 0 (0 or absent marks an empty level) is an invalid price.</summary>
    public static bool DepthPricesValid(in MarketDepth depth)
    {
        for (int i = 0; i < Count(depth.BidCount); i++)
        {
            if (depth.Bids[i].Price.HasValue && depth.Bids[i].Price.Raw < 0)
            {
                return false;
            }
        }

        for (int i = 0; i < Count(depth.AskCount); i++)
        {
            if (depth.Asks[i].Price.HasValue && depth.Asks[i].Price.Raw < 0)
            {
                return false;
            }
        }

        return true;
    }

    public static bool DepthQuantitiesValid(in MarketDepth depth)
    {
        for (int i = 0; i < Count(depth.BidCount); i++)
        {
            if (depth.Bids[i].Quantity.HasValue && depth.Bids[i].Quantity.Raw < 0)
            {
                return false;
            }
        }

        for (int i = 0; i < Count(depth.AskCount); i++)
        {
            if (depth.Asks[i].Quantity.HasValue && depth.Asks[i].Quantity.Raw < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool OutsideRange(Price price, Price low, Price high) => price.HasValue && (price < low || price > high);

    // Absent values are long.MinValue and earlier checks removed negatives, so "raw > max" is the whole test.
    // A depth count beyond the five levels a tick holds is as impossible as an absurd value.
    private static bool WithinLimits(in Tick tick)
    {
        long maxPrice = MaxPrice.Raw;
        long maxQuantity = MaxQuantity.Raw;
        if (tick.Ltp.Raw > maxPrice || tick.Atp.Raw > maxPrice || tick.Bid.Raw > maxPrice || tick.Ask.Raw > maxPrice
            || tick.Open.Raw > maxPrice || tick.High.Raw > maxPrice || tick.Low.Raw > maxPrice || tick.Close.Raw > maxPrice)
        {
            return false;
        }

        if (tick.Ltq.Raw > maxQuantity || tick.Volume.Raw > maxQuantity || tick.BidQty.Raw > maxQuantity
            || tick.AskQty.Raw > maxQuantity || tick.Oi.Raw > maxQuantity)
        {
            return false;
        }

        ref readonly MarketDepth depth = ref tick.Depth;
        if ((uint)depth.BidCount > MarketDepth.Levels || (uint)depth.AskCount > MarketDepth.Levels)
        {
            return false;
        }

        for (int i = 0; i < depth.BidCount; i++)
        {
            if (depth.Bids[i].Price.Raw > maxPrice || depth.Bids[i].Quantity.Raw > maxQuantity)
            {
                return false;
            }
        }

        for (int i = 0; i < depth.AskCount; i++)
        {
            if (depth.Asks[i].Price.Raw > maxPrice || depth.Asks[i].Quantity.Raw > maxQuantity)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Bids must not rise and asks must not fall going down the book; empty levels are skipped.</summary>
    private static bool DepthIsOrdered(in MarketDepth depth)
    {
        long previous = long.MaxValue;
        for (int i = 0; i < depth.BidCount; i++)
        {
            long price = depth.Bids[i].Price.Raw;
            if (price > 0)
            {
                if (price > previous)
                {
                    return false;
                }

                previous = price;
            }
        }

        previous = 0;
        for (int i = 0; i < depth.AskCount; i++)
        {
            long price = depth.Asks[i].Price.Raw;
            if (price > 0)
            {
                if (price < previous)
                {
                    return false;
                }

                previous = price;
            }
        }

        return true;
    }

    // The invalid-value checks run before the count is validated, so they clamp it.
    private static int Count(int count) => Math.Clamp(count, 0, MarketDepth.Levels);
}
