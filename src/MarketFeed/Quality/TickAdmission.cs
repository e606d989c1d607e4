using MarketFeed.Model;

namespace MarketFeed.Quality;

/// <summary>
/// Per-instrument admission: valid and consistent? exact duplicate? clock ahead? out of order? outlier? Owned by one
/// hub partition. Flags are set on the tick itself (<see cref="TickFlags.ClockAhead"/>, <see cref="TickFlags.OutOfOrder"/>,
/// <see cref="TickFlags.Outlier"/>); a rejected or duplicate tick goes no further. Duplicates are judged against the
/// latest tick in the quote book, which the caller already keeps, so admission holds no 400-byte copy of its own.
/// The outlier band follows the instrument's own movement: at least the configured band, wider when the instrument's
/// recent tick-to-tick returns are large (an option moving 10 % in a second is normal for it), and never narrower
/// than a few ticks (a cheap option's one-tick step can be 100 %).
/// </summary>
internal sealed class TickAdmission(long outlierBandBasisPoints, int outlierConfirmations, long maxClockSkewTicks, long futureToleranceTicks, long tickSizeRaw = 0)
{
    /// <summary>The adaptive band is this many of the instrument's recent tick-to-tick standard deviations.</summary>
    internal const double BandDeviations = 8;

    /// <summary>The adaptive band never exceeds this (basis points): a price that halves or rises by half in one tick stays suspect.</summary>
    internal const long MaxAdaptiveBandBasisPoints = 5_000;

    /// <summary>Moves of up to this many ticks are never outliers.</summary>
    internal const int BandTicks = 3;

    // Weight of the newest squared return in the running variance (a half-life of about 14 accepted ticks).
    private const double VarianceWeight = 0.05;

    private const TickFlags HubFlags = TickFlags.ClockAhead | TickFlags.OutOfOrder | TickFlags.Outlier;

    private double _returnVariance;

    private DateTime _lastEventTime;
    private KindClock _trades;
    private KindClock _books;
    private KindClock _stats;
    private Price _reference = Price.None;
    private Price _pendingLevel = Price.None;
    private int _pendingOutliers;

    // What identifies the last outlier, so a repeat of it (a resend, an unchanged poll) is not taken as confirmation.
    // Outliers stay out of the quote book, so the duplicate check against the latest tick cannot catch these repeats.
    private DateTime _pendingExchangeTime;
    private long _pendingVenueSequence;
    private Quantity _pendingVolume = Quantity.None;

    /// <param name="tick">The incoming tick; quality flags are added to it.</param>
    /// <param name="latest">The instrument's tick in the quote book (meaningless until <paramref name="hasLatest"/>).</param>
    /// <param name="hasLatest">Whether the quote book holds a tick of the instrument yet.</param>
    public AdmissionVerdict Admit(ref Tick tick, ref readonly Tick latest, bool hasLatest)
    {
        // Quality flags are this hub's verdict only; one a producer carried in would change how the tick is timed.
        tick.Flags &= ~HubFlags;
        AdmissionVerdict validity = Validate(in tick, maxClockSkewTicks);
        if (validity != AdmissionVerdict.Accept)
        {
            return validity;
        }

        TickFields fields = tick.Updates;
        if (fields is not (TickFields.All or TickFields.None))
        {
            return AdmitPartial(ref tick, in latest, hasLatest, fields);
        }

        if (hasLatest && tick.SameMarketDataAs(in latest))
        {
            return AdmissionVerdict.DropDuplicate;
        }

        if (IsClockAhead(in tick, futureToleranceTicks))
        {
            // Its time cannot be trusted, so it cannot be judged out of order and must not hold the ordering clock
            // in the future (every correct tick after it would look old); its price is still the newest we have.
            tick.Flags |= TickFlags.ClockAhead;
        }
        else if (tick.EventTime < _lastEventTime)
        {
            tick.Flags |= TickFlags.OutOfOrder;
            return AdmissionVerdict.Accept;
        }
        else
        {
            _lastEventTime = tick.EventTime;
        }

        if (IsOutlier(in tick))
        {
            tick.Flags |= TickFlags.Outlier;
        }

        return AdmissionVerdict.Accept;
    }

    /// <summary>
    /// A partial event is ordered by its own kind's clock — trades by trade id (or trade time), book updates by update
    /// id (or time), day statistics by time — so interleaved trade and book streams never make each other look late.
    /// A repeat of the kind's last id is a duplicate (the overlap of a make-before-break handover, a resend).
    /// </summary>
    private AdmissionVerdict AdmitPartial(ref Tick tick, ref readonly Tick latest, bool hasLatest, TickFields fields)
    {
        ref KindClock clock = ref _stats;
        if ((fields & TickFields.Trade) != 0)
        {
            clock = ref _trades;
        }
        else if ((fields & (TickFields.TopOfBook | TickFields.Depth)) != 0)
        {
            clock = ref _books;
        }

        bool clockAhead = IsClockAhead(in tick, futureToleranceTicks);
        if (clockAhead)
        {
            tick.Flags |= TickFlags.ClockAhead;
        }

        if (tick.VenueSequence != 0)
        {
            if (tick.VenueSequence == clock.Sequence)
            {
                return AdmissionVerdict.DropDuplicate;
            }

            if (tick.VenueSequence < clock.Sequence)
            {
                tick.Flags |= TickFlags.OutOfOrder;
                return AdmissionVerdict.Accept;
            }

            clock.Sequence = tick.VenueSequence;
        }
        else
        {
            if (hasLatest && tick.ExchangeTime == latest.ExchangeTime && SameFields(in tick, in latest, fields))
            {
                return AdmissionVerdict.DropDuplicate;
            }

            if (!clockAhead)
            {
                if (tick.EventTime < clock.Time)
                {
                    tick.Flags |= TickFlags.OutOfOrder;
                    return AdmissionVerdict.Accept;
                }

                clock.Time = tick.EventTime;
            }
        }

        if ((fields & TickFields.Trade) != 0 && IsOutlier(in tick))
        {
            tick.Flags |= TickFlags.Outlier;
        }

        return AdmissionVerdict.Accept;
    }

    private static bool SameFields(in Tick tick, in Tick latest, TickFields fields) =>
        ((fields & TickFields.Trade) == 0 || (tick.Ltp == latest.Ltp && tick.Ltq == latest.Ltq))
        && ((fields & TickFields.TopOfBook) == 0 || (tick.Bid == latest.Bid && tick.BidQty == latest.BidQty && tick.Ask == latest.Ask && tick.AskQty == latest.AskQty))
        && ((fields & TickFields.Depth) == 0 || tick.Depth.SameAs(latest.Depth))
        && ((fields & TickFields.DayStats) == 0 || (tick.Open == latest.Open && tick.High == latest.High && tick.Low == latest.Low && tick.Close == latest.Close && tick.Volume == latest.Volume))
        && ((fields & TickFields.OpenInterest) == 0 || tick.Oi == latest.Oi)
        && ((fields & TickFields.Greeks) == 0 || tick.Greeks == latest.Greeks);

    internal static AdmissionVerdict Validate(in Tick tick, long maxClockSkewTicks)
    {
        if (!PositiveOrAbsent(tick.Ltp) || !PositiveOrAbsent(tick.Bid) || !PositiveOrAbsent(tick.Ask)
            || !PositiveOrAbsent(tick.Open) || !PositiveOrAbsent(tick.High) || !PositiveOrAbsent(tick.Low)
            || !PositiveOrAbsent(tick.Close) || !PositiveOrAbsent(tick.Atp) || !TickConsistency.DepthPricesValid(in tick.Depth))
        {
            return AdmissionVerdict.RejectInvalidPrice;
        }

        if (Negative(tick.Ltq) || Negative(tick.Volume) || Negative(tick.BidQty) || Negative(tick.AskQty) || Negative(tick.Oi)
            || !TickConsistency.DepthQuantitiesValid(in tick.Depth))
        {
            return AdmissionVerdict.RejectInvalidQuantity;
        }

        if (!TickConsistency.IsConsistent(in tick))
        {
            return AdmissionVerdict.RejectInconsistent;
        }

        if (IsClockAhead(in tick, maxClockSkewTicks))
        {
            return AdmissionVerdict.RejectFutureTimestamp;
        }

        return AdmissionVerdict.Accept;
    }

    /// <summary>True when the exchange time is more than <paramref name="toleranceTicks"/> ahead of the receive time.</summary>
    internal static bool IsClockAhead(in Tick tick, long toleranceTicks) =>
        tick.HasExchangeTime && tick.ReceiveTime.Ticks != 0 && (tick.ExchangeTime - tick.ReceiveTime).Ticks > toleranceTicks;

    private static bool PositiveOrAbsent(Price price) => !price.HasValue || price.Raw > 0;

    private static bool Negative(Quantity quantity) => quantity.HasValue && quantity.Raw < 0;

    /// <summary>
    /// A jump beyond the band from the reference price is an outlier. If several consecutive outliers agree on a new
    /// level (within the band of each other), that level is real: the last of them is accepted and becomes the reference.
    /// </summary>
    private bool IsOutlier(in Tick tick)
    {
        Price ltp = tick.Ltp;
        if (!ltp.HasValue)
        {
            return false;
        }

        if (!_reference.HasValue || WithinBand(ltp, _reference))
        {
            Learn(ltp, _reference);
            _reference = ltp;
            _pendingOutliers = 0;
            return false;
        }

        if (_pendingOutliers > 0 && WithinBand(ltp, _pendingLevel))
        {
            if (RepeatsPendingOutlier(in tick))
            {
                return true;
            }

            _pendingOutliers++;
        }
        else
        {
            _pendingOutliers = 1;
        }

        _pendingLevel = ltp;
        _pendingExchangeTime = tick.ExchangeTime;
        _pendingVenueSequence = tick.VenueSequence;
        _pendingVolume = tick.Volume;
        if (_pendingOutliers >= outlierConfirmations)
        {
            Learn(ltp, _reference);
            _reference = ltp;
            _pendingOutliers = 0;
            return false;
        }

        return true;
    }

    private bool RepeatsPendingOutlier(in Tick tick) =>
        tick.Ltp == _pendingLevel && tick.ExchangeTime == _pendingExchangeTime
        && tick.VenueSequence == _pendingVenueSequence && tick.Volume == _pendingVolume;

    /// <summary>The band now, in basis points: the configured one, or more when the instrument has been moving more.</summary>
    internal long CurrentBandBasisPoints()
    {
        double adaptive = BandDeviations * Math.Sqrt(_returnVariance) * 10_000;
        return Math.Max(outlierBandBasisPoints, (long)Math.Min(adaptive, MaxAdaptiveBandBasisPoints));
    }

    private bool WithinBand(Price price, Price reference) =>
        WithinBand(price, reference, CurrentBandBasisPoints())
        || (tickSizeRaw > 0 && Int128.Abs((Int128)price.Raw - reference.Raw) <= (Int128)tickSizeRaw * BandTicks);

    /// <summary>Folds an accepted move into the running variance of returns, clipped to the band so one jump cannot blow it open.</summary>
    private void Learn(Price price, Price reference)
    {
        if (!reference.HasValue || reference.Raw <= 0 || price.Raw <= 0)
        {
            return;
        }

        double limit = CurrentBandBasisPoints() / 10_000.0;
        double move = Math.Clamp(Math.Log((double)price.Raw / reference.Raw), -limit, limit);
        _returnVariance += VarianceWeight * ((move * move) - _returnVariance);
    }

    /// <summary>|price − reference| ≤ band × reference, exact for any raw values: both products need up to 128 bits.</summary>
    internal static bool WithinBand(Price price, Price reference, long bandBasisPoints) =>
        Int128.Abs((Int128)price.Raw - reference.Raw) * 10_000 <= (Int128)bandBasisPoints * reference.Raw;

    /// <summary>The last id and time seen for one kind of partial event.</summary>
    private struct KindClock
    {
        public long Sequence;
        public DateTime Time;
    }
}
