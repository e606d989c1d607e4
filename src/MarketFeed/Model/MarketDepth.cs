namespace MarketFeed.Model;

/// <summary>Five levels each side, best first. Present only on full-mode ticks (<see cref="BidCount"/> or <see cref="AskCount"/> &gt; 0).</summary>
public struct MarketDepth
{
    public const int Levels = 5;

    public DepthLevels Bids;
    public DepthLevels Asks;

    public int BidCount { get; set; }

    public int AskCount { get; set; }

    public readonly bool IsEmpty => BidCount == 0 && AskCount == 0;

    public void SetBid(int level, DepthLevel value)
    {
        Bids[level] = value;
        BidCount = Math.Max(BidCount, level + 1);
    }

    public void SetAsk(int level, DepthLevel value)
    {
        Asks[level] = value;
        AskCount = Math.Max(AskCount, level + 1);
    }

    public readonly bool SameAs(in MarketDepth other)
    {
        if (BidCount != other.BidCount || AskCount != other.AskCount)
        {
            return false;
        }

        for (int i = 0; i < BidCount; i++)
        {
            if (Bids[i] != other.Bids[i])
            {
                return false;
            }
        }

        for (int i = 0; i < AskCount; i++)
        {
            if (Asks[i] != other.Asks[i])
            {
                return false;
            }
        }

        return true;
    }
}
