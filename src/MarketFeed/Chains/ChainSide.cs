using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>
/// One option of a strike (its call or its put) as the chain sees it: the latest market fields and what the chain
/// computed from them. Volatilities are fractions (0.142 = 14.2 %); absent ones say why in their flag. Greeks are
/// taken at the mid's volatility, else the last price's; <see cref="VenueGreeks"/> are the venue's own, where it sends them.
/// </summary>
public struct ChainSide
{
    public InstrumentId Instrument;
    public Price Ltp;
    public Price Bid;
    public Price Ask;
    public Quantity Volume;
    public Quantity Oi;

    /// <summary>The open interest at the previous trading day's close, when the feed could say it.</summary>
    public Quantity PreviousOi;

    /// <summary>The first open interest seen this session: <see cref="OiChange"/> is measured from it while <see cref="PreviousOi"/> is unknown.</summary>
    public Quantity SessionOi;
    public double IvMid;
    public double IvLast;
    public IvFlag IvMidFlag;
    public IvFlag IvLastFlag;
    public OptionGreeks? Greeks;
    public OptionGreeks? VenueGreeks;

    /// <summary>Venue Greeks arrived since the last comparison with ours.</summary>
    internal bool VenueGreeksFresh;

    public readonly bool IsListed => Instrument.Value != 0;

    public readonly bool HasData => Ltp.HasValue || Bid.HasValue || Ask.HasValue || Oi.HasValue;

    /// <summary>What <see cref="OiChange"/> is measured from: the previous day's close where known, else this session's first OI.</summary>
    public readonly OiChangeBasis OiBasis => !Oi.HasValue ? OiChangeBasis.None
        : PreviousOi.HasValue ? OiChangeBasis.PreviousDay
        : SessionOi.HasValue ? OiChangeBasis.Session
        : OiChangeBasis.None;

    /// <summary>OI now minus the previous day's closing OI, else minus this session's first OI (<see cref="OiBasis"/> says which).</summary>
    public readonly Quantity OiChange => OiBasis switch
    {
        OiChangeBasis.PreviousDay => Oi - PreviousOi,
        OiChangeBasis.Session => Oi - SessionOi,
        _ => Quantity.None,
    };

    /// <summary>The mid of a two-sided quote, else <see cref="double.NaN"/>.</summary>
    public readonly double Mid => Bid.HasValue && Ask.HasValue && Bid.Raw > 0 && Ask.Raw >= Bid.Raw ? (Bid.ToDouble() + Ask.ToDouble()) / 2 : double.NaN;

    /// <summary>The volatility the Greeks were taken at (mid's, else last's), or NaN.</summary>
    public readonly double Iv => IvMidFlag == IvFlag.None ? IvMid : IvLastFlag == IvFlag.None ? IvLast : double.NaN;

    internal void Clear()
    {
        InstrumentId id = Instrument;
        this = Empty(id);
    }

    internal static ChainSide Empty(InstrumentId instrument) => new()
    {
        Instrument = instrument, Ltp = Price.None, Bid = Price.None, Ask = Price.None, Volume = Quantity.None, Oi = Quantity.None,
        PreviousOi = Quantity.None, SessionOi = Quantity.None, IvMidFlag = IvFlag.NoPrice, IvLastFlag = IvFlag.NoPrice,
    };
}
