using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>One strike of a chain: its call and its put, and the chain sequence number at which it last changed.</summary>
public struct ChainRow
{
    public Price Strike;
    public ChainSide Call;
    public ChainSide Put;
    public long Seq;

    /// <summary>The out-of-the-money side's volatility at <paramref name="forward"/> (puts below, calls at and above): the smile's point, or NaN.</summary>
    public readonly double SmileIv(double forward)
    {
        double own = Strike.ToDouble() < forward ? Put.Iv : Call.Iv;
        return double.IsNaN(own) ? (Strike.ToDouble() < forward ? Call.Iv : Put.Iv) : own;
    }
}
