using System.Runtime.CompilerServices;

namespace MarketFeed.Model;

/// <summary>
/// One normalized market-data update for one instrument: every field of the tick shape in docs/contracts.md.
/// A value type so the data path allocates nothing; absent fields are <see cref="Price.None"/> /
/// <see cref="Quantity.None"/>, never 0. Times are UTC; <see cref="ExchangeTime"/> is <c>default</c> when the venue
/// sent none (it is never silently replaced by the receive time).
/// </summary>
public struct Tick
{
    public Tick(InstrumentId instrument) => Reset(instrument);

    /// <summary>
    /// Makes this a fresh tick for <paramref name="instrument"/>, exactly as <c>new Tick(instrument)</c> would, but in
    /// place: a decoder filling a tick it was handed (<c>out</c> or <c>ref</c>) avoids building a temporary and
    /// copying its ~450 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reset(InstrumentId instrument)
    {
        this = default;
        Instrument = instrument;
        Ltp = Price.None;
        Ltq = Quantity.None;
        Atp = Price.None;
        Volume = Quantity.None;
        Bid = Price.None;
        BidQty = Quantity.None;
        Ask = Price.None;
        AskQty = Quantity.None;
        Open = Price.None;
        High = Price.None;
        Low = Price.None;
        Close = Price.None;
        Oi = Quantity.None;
        Mode = FeedMode.Ltp;
        Updates = TickFields.All;
    }

    public InstrumentId Instrument { get; set; }

    /// <summary>Per-instrument message number assigned by the hub (+1 per delivered tick), so consumers can detect loss.</summary>
    public long Seq { get; set; }

    /// <summary>The venue's own message or trade number where it sends one (0 otherwise); part of duplicate detection.</summary>
    public long VenueSequence { get; set; }

    public DateTime ExchangeTime { get; set; }

    public DateTime ReceiveTime { get; set; }

    public Price Ltp { get; set; }

    public Quantity Ltq { get; set; }

    /// <summary>Average traded price of the day.</summary>
    public Price Atp { get; set; }

    /// <summary>Day volume as the venue sends it (cumulative when <see cref="TickFlags.CumulativeVolume"/> is set).</summary>
    public Quantity Volume { get; set; }

    public Price Bid { get; set; }

    public Quantity BidQty { get; set; }

    public Price Ask { get; set; }

    public Quantity AskQty { get; set; }

    public Price Open { get; set; }

    public Price High { get; set; }

    public Price Low { get; set; }

    /// <summary>The previous session's close.</summary>
    public Price Close { get; set; }

    public Quantity Oi { get; set; }

    /// <summary>Option Greeks and implied volatility where the venue sends them (null otherwise).</summary>
    public OptionGreeks? Greeks { get; set; }

    public TickSource Source { get; set; }

    public FeedMode Mode { get; set; }

    public TickFlags Flags { get; set; }

    /// <summary>
    /// What this event updates (<see cref="TickFields.All"/>: a whole quote). Partial events are merged into the
    /// instrument's latest state by the hub; what subscribers receive is that merged state, with this saying what changed.
    /// </summary>
    public TickFields Updates { get; set; }

    public MarketDepth Depth;

    public readonly bool HasExchangeTime => ExchangeTime.Ticks != 0;

    /// <summary>
    /// The time used to order and bucket the tick: exchange time when the venue sent one and the hub did not find it
    /// too far ahead of the receive time (<see cref="TickFlags.ClockAhead"/>), else receive time.
    /// </summary>
    public readonly DateTime EventTime => HasExchangeTime && (Flags & TickFlags.ClockAhead) == 0 ? ExchangeTime : ReceiveTime;

    /// <summary>LTP minus the previous close, or <see cref="Price.None"/> when either is missing.</summary>
    public readonly Price Change => Ltp.HasValue && Close.HasValue ? Ltp - Close : Price.None;

    /// <summary>Percent change against the previous close (display value, rounded to 2 decimals).</summary>
    public readonly decimal? ChangePercent =>
        Ltp.HasValue && Close.HasValue && Close.Raw != 0
            ? decimal.Round((Ltp - Close).ToDecimal() * 100m / Close.ToDecimal(), 2, MidpointRounding.AwayFromZero)
            : null;

    /// <summary>Copies the fields <paramref name="update"/> carries (by <see cref="Updates"/>) over this state; the rest stays.</summary>
    public void Merge(in Tick update)
    {
        TickFields fields = update.Updates;
        if (fields is TickFields.All or TickFields.None)
        {
            this = update;
            return;
        }

        if ((fields & TickFields.Trade) != 0)
        {
            Ltp = update.Ltp;
            Ltq = update.Ltq;
        }

        if ((fields & TickFields.TopOfBook) != 0)
        {
            Bid = update.Bid;
            BidQty = update.BidQty;
            Ask = update.Ask;
            AskQty = update.AskQty;
        }

        if ((fields & TickFields.Depth) != 0)
        {
            Depth = update.Depth;
        }

        if ((fields & TickFields.DayStats) != 0)
        {
            Open = update.Open;
            High = update.High;
            Low = update.Low;
            Close = update.Close;
            Volume = update.Volume;
            Atp = update.Atp;
        }

        if ((fields & TickFields.OpenInterest) != 0)
        {
            Oi = update.Oi;
        }

        if ((fields & TickFields.Greeks) != 0)
        {
            Greeks = update.Greeks;
        }

        Instrument = update.Instrument;
        Seq = update.Seq;
        VenueSequence = update.VenueSequence;
        ExchangeTime = update.ExchangeTime;
        ReceiveTime = update.ReceiveTime;
        Source = update.Source;
        Mode = update.Mode > Mode ? update.Mode : Mode;
        Flags = update.Flags;
        Updates = fields;
    }

    /// <summary>True when every market field equals <paramref name="other"/>'s: the hub drops such exact duplicates.</summary>
    public readonly bool SameMarketDataAs(in Tick other) =>
        Instrument == other.Instrument
        && ExchangeTime == other.ExchangeTime && VenueSequence == other.VenueSequence
        && Ltp == other.Ltp && Ltq == other.Ltq && Atp == other.Atp && Volume == other.Volume
        && Bid == other.Bid && BidQty == other.BidQty && Ask == other.Ask && AskQty == other.AskQty
        && Open == other.Open && High == other.High && Low == other.Low && Close == other.Close
        && Oi == other.Oi && Greeks == other.Greeks && Mode == other.Mode
        && Depth.SameAs(other.Depth);
}
