using MarketFeed.Model;

namespace MarketFeed.Quality;

/// <summary>
/// Per-instrument admission: valid? exact duplicate? out of order? outlier? Owned by one hub partition. Flags are
/// set on the tick itself (<see cref="TickFlags.OutOfOrder"/>, <see cref="TickFlags.Outlier"/>); a rejected or
/// duplicate tick goes no further.
/// </summary>
internal sealed class TickAdmission(long outlierBandBasisPoints, int outlierConfirmations, long maxClockSkewTicks)
{
    private Tick _previous;
    private bool _hasPrevious;
    private DateTime _lastEventTime;
    private Price _reference = Price.None;
    private Price _pendingLevel = Price.None;
    private int _pendingOutliers;

    public AdmissionVerdict Admit(ref Tick tick)
    {
        AdmissionVerdict validity = Validate(in tick, maxClockSkewTicks);
        if (validity != AdmissionVerdict.Accept)
        {
            return validity;
        }

        if (_hasPrevious && tick.SameMarketDataAs(in _previous))
        {
            return AdmissionVerdict.DropDuplicate;
        }

        _previous = tick;
        _hasPrevious = true;

        DateTime eventTime = tick.EventTime;
        if (eventTime < _lastEventTime)
        {
            tick.Flags |= TickFlags.OutOfOrder;
        }
        else
        {
            _lastEventTime = eventTime;
            if (IsOutlier(tick.Ltp))
            {
                tick.Flags |= TickFlags.Outlier;
            }
        }

        return AdmissionVerdict.Accept;
    }

    internal static AdmissionVerdict Validate(in Tick tick, long maxClockSkewTicks)
    {
        if (!PositiveOrAbsent(tick.Ltp) || !PositiveOrAbsent(tick.Bid) || !PositiveOrAbsent(tick.Ask)
            || !PositiveOrAbsent(tick.Open) || !PositiveOrAbsent(tick.High) || !PositiveOrAbsent(tick.Low)
            || !PositiveOrAbsent(tick.Close) || !PositiveOrAbsent(tick.Atp))
        {
            return AdmissionVerdict.RejectInvalidPrice;
        }

        if (Negative(tick.Ltq) || Negative(tick.Volume) || Negative(tick.BidQty) || Negative(tick.AskQty) || Negative(tick.Oi))
        {
            return AdmissionVerdict.RejectInvalidQuantity;
        }

        if (tick.HasExchangeTime && tick.ReceiveTime.Ticks != 0 && (tick.ExchangeTime - tick.ReceiveTime).Ticks > maxClockSkewTicks)
        {
            return AdmissionVerdict.RejectFutureTimestamp;
        }

        return AdmissionVerdict.Accept;
    }

    private static bool PositiveOrAbsent(Price price) => !price.HasValue || price.Raw > 0;

    private static bool Negative(Quantity quantity) => quantity.HasValue && quantity.Raw < 0;

    /// <summary>
    /// A jump beyond the band from the reference price is an outlier. If several consecutive outliers agree on a new
    /// level (within the band of each other), that level is real: the last of them is accepted and becomes the reference.
    /// </summary>
    private bool IsOutlier(Price ltp)
    {
        if (!ltp.HasValue)
        {
            return false;
        }

        if (!_reference.HasValue || WithinBand(ltp, _reference))
        {
            _reference = ltp;
            _pendingOutliers = 0;
            return false;
        }

        if (_pendingOutliers > 0 && WithinBand(ltp, _pendingLevel))
        {
            _pendingOutliers++;
        }
        else
        {
            _pendingOutliers = 1;
        }

        _pendingLevel = ltp;
        if (_pendingOutliers >= outlierConfirmations)
        {
            _reference = ltp;
            _pendingOutliers = 0;
            return false;
        }

        return true;
    }

    private bool WithinBand(Price price, Price reference) =>
        Math.Abs(price.Raw - reference.Raw) * 10_000 <= outlierBandBasisPoints * reference.Raw;
}
