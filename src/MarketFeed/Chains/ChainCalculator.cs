using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>
/// The arithmetic of one chain, allocation-free: market fields of every strike's call and put, the underlying and the
/// future, and from them each option's implied volatilities and Greeks and the chain's ATM strike, put-call ratios and
/// max pain over the window. Single-threaded: one consumer applies ticks and recomputes; readers copy under its owner's lock.
/// </summary>
public sealed class ChainCalculator
{
    private readonly ChainOptions _options;
    private readonly Dictionary<InstrumentId, int> _sides = [];
    private readonly Dictionary<InstrumentId, Quantity> _previousOi = [];
    private readonly DateTime _expiryUtc;
    private readonly ChainRow[] _rows;
    private ChainStats _stats;
    private bool _oiChanged;

    public ChainCalculator(ChainDefinition definition, ChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        _options = options;
        _expiryUtc = definition.ExpiryUtc(options.ExpiryTime);
        _rows = new ChainRow[definition.Strikes.Count];
        for (int i = 0; i < _rows.Length; i++)
        {
            ChainStrike strike = definition.Strikes[i];
            _rows[i] = new ChainRow
            {
                Strike = strike.Strike,
                Call = ChainSide.Empty(strike.Call?.Id ?? InstrumentId.None),
                Put = ChainSide.Empty(strike.Put?.Id ?? InstrumentId.None),
            };
            if (strike.Call is not null)
            {
                _sides[strike.Call.Id] = i * 2;
            }

            if (strike.Put is not null)
            {
                _sides[strike.Put.Id] = (i * 2) + 1;
            }
        }

        _stats = new ChainStats
        {
            Spot = double.NaN, FuturePrice = double.NaN, Forward = double.NaN, PcrOi = double.NaN, PcrVolume = double.NaN,
            Atm = Price.None, MaxPain = Price.None, WindowFirst = 0, WindowLast = _rows.Length - 1,
        };
    }

    public ChainDefinition Definition { get; }

    /// <summary>Every listed strike, ascending (rows outside the window hold no data).</summary>
    public ReadOnlySpan<ChainRow> Rows => _rows;

    public ref readonly ChainStats Stats => ref _stats;

    /// <summary>Bumped by every recompute that changed something; each changed row carries the value it was bumped to.</summary>
    public long Seq { get; private set; }

    /// <summary>
    /// Takes a tick of the chain's underlying, future or one of its options (the hub's merged state of it). Returns the
    /// strike index the tick changed, <see cref="AllStrikes"/> for the underlying or future, or −1 for an instrument
    /// not in the chain, outside the window or flagged an outlier.
    /// </summary>
    public int Apply(in Tick tick)
    {
        // A print the hub judged an outlier neither reprices the chain nor moves its window.
        if ((tick.Flags & TickFlags.Outlier) != 0)
        {
            return -1;
        }

        if (Definition.Underlying is { } underlying && tick.Instrument == underlying.Id)
        {
            if (!tick.Ltp.HasValue)
            {
                return -1;
            }

            _stats.Spot = tick.Ltp.ToDouble();
            return AllStrikes;
        }

        if (Definition.Future is { } future && tick.Instrument == future.Id)
        {
            double mid = tick.Bid.HasValue && tick.Ask.HasValue && tick.Bid.Raw > 0 && tick.Ask >= tick.Bid ? (tick.Bid.ToDouble() + tick.Ask.ToDouble()) / 2 : double.NaN;
            double price = double.IsNaN(mid) ? (tick.Ltp.HasValue ? tick.Ltp.ToDouble() : double.NaN) : mid;
            if (double.IsNaN(price))
            {
                return -1;
            }

            _stats.FuturePrice = price;
            return AllStrikes;
        }

        if (!_sides.TryGetValue(tick.Instrument, out int code))
        {
            return -1;
        }

        int index = code >> 1;
        if (index < _stats.WindowFirst || index > _stats.WindowLast)
        {
            return -1;
        }

        ref ChainSide side = ref (code & 1) == 0 ? ref _rows[index].Call : ref _rows[index].Put;
        side.Ltp = tick.Ltp;
        side.Bid = tick.Bid;
        side.Ask = tick.Ask;
        side.Volume = tick.Volume;
        if (tick.Oi.HasValue)
        {
            _oiChanged |= side.Oi != tick.Oi;
            side.Oi = tick.Oi;
            if (!side.SessionOi.HasValue)
            {
                // The option's first OI in the window: the change is measured from the previous day's if known.
                side.SessionOi = tick.Oi;
                side.PreviousOi = _previousOi.GetValueOrDefault(tick.Instrument, Quantity.None);
            }
        }

        if (tick.Greeks is { } greeks && side.VenueGreeks != greeks)
        {
            side.VenueGreeks = greeks;
            side.VenueGreeksFresh = true;
        }

        return index;
    }

    /// <summary>
    /// Records an option's open interest at the previous day's close, from which its OI change is measured from now on.
    /// Returns the strike index it changed (to recompute), or −1 when the option is not in the chain or not in the window.
    /// </summary>
    public int SetPreviousOi(InstrumentId instrument, Quantity previousOi)
    {
        if (!previousOi.HasValue || !_sides.TryGetValue(instrument, out int code))
        {
            return -1;
        }

        _previousOi[instrument] = previousOi;
        int index = code >> 1;
        if (index < _stats.WindowFirst || index > _stats.WindowLast)
        {
            return -1;
        }

        ref ChainSide side = ref (code & 1) == 0 ? ref _rows[index].Call : ref _rows[index].Put;
        if (side.PreviousOi == previousOi)
        {
            return -1;
        }

        side.PreviousOi = previousOi;
        return index;
    }

    /// <summary>True when the option's previous-day OI is known.</summary>
    public bool HasPreviousOi(InstrumentId instrument) => _previousOi.ContainsKey(instrument);

    /// <summary>What <see cref="Apply"/> returns for a tick that reprices every strike.</summary>
    public const int AllStrikes = int.MaxValue;

    /// <summary>Sets the window (inclusive strike indices); rows leaving it are emptied. Returns whether it moved.</summary>
    public bool SetWindow(int first, int last)
    {
        first = Math.Clamp(first, 0, _rows.Length - 1);
        last = Math.Clamp(last, first, _rows.Length - 1);
        if (first == _stats.WindowFirst && last == _stats.WindowLast)
        {
            return false;
        }

        for (int i = 0; i < _rows.Length; i++)
        {
            if ((i < first || i > last) && (i >= _stats.WindowFirst && i <= _stats.WindowLast))
            {
                _rows[i].Call.Clear();
                _rows[i].Put.Clear();
            }
        }

        _stats.WindowFirst = first;
        _stats.WindowLast = last;
        _oiChanged = true;
        return true;
    }

    /// <summary>Starts a recompute at <paramref name="utc"/>: the time to expiry and the forward. Call before the strikes.</summary>
    public void BeginRecompute(DateTime utc)
    {
        Seq++;
        _stats.YearsToExpiry = Math.Max(0, (_expiryUtc - utc).TotalDays) / 365.0;
        _stats.OnFuture = !double.IsNaN(_stats.FuturePrice);
        _stats.Forward = _stats.OnFuture ? _stats.FuturePrice : _stats.Spot * Math.Exp(_options.RiskFreeRate * _stats.YearsToExpiry);
    }

    /// <summary>Recomputes one strike's call and put (after <see cref="BeginRecompute"/>).</summary>
    public void RecomputeStrike(int index)
    {
        ref ChainRow row = ref _rows[index];
        double strike = row.Strike.ToDouble();
        Compute(ref row.Call, isCall: true, strike);
        Compute(ref row.Put, isCall: false, strike);
        row.Seq = Seq;
    }

    /// <summary>Recomputes every strike of the window (after <see cref="BeginRecompute"/>), then the chain's figures.</summary>
    public void RecomputeWindow()
    {
        for (int i = _stats.WindowFirst; i <= _stats.WindowLast; i++)
        {
            RecomputeStrike(i);
        }

        RecomputeChain();
    }

    /// <summary>ATM strike, put-call ratios and (when OI changed) max pain over the window.</summary>
    public void RecomputeChain()
    {
        double reference = double.IsNaN(_stats.Forward) ? _stats.Spot : _stats.Forward;
        _stats.Atm = double.IsNaN(reference) || _rows.Length == 0 ? Price.None : _rows[Definition.NearestStrike(reference)].Strike;
        double callOi = 0, putOi = 0, callVolume = 0, putVolume = 0;
        for (int i = _stats.WindowFirst; i <= _stats.WindowLast; i++)
        {
            ref readonly ChainRow row = ref _rows[i];
            callOi += Units(row.Call.Oi);
            putOi += Units(row.Put.Oi);
            callVolume += Units(row.Call.Volume);
            putVolume += Units(row.Put.Volume);
        }

        _stats.PcrOi = callOi > 0 ? putOi / callOi : double.NaN;
        _stats.PcrVolume = callVolume > 0 ? putVolume / callVolume : double.NaN;
        if (_oiChanged)
        {
            _stats.MaxPain = MaxPain(_rows.AsSpan(_stats.WindowFirst, _stats.WindowLast - _stats.WindowFirst + 1));
            _oiChanged = false;
        }
    }

    /// <summary>
    /// The strike, among <paramref name="rows"/>, at which what calls and puts pay their holders at expiry
    /// (Σ call OI·max(K − k, 0) + put OI·max(k − K, 0)) is least; <see cref="Price.None"/> without OI.
    /// </summary>
    public static Price MaxPain(ReadOnlySpan<ChainRow> rows)
    {
        Price best = Price.None;
        double least = double.PositiveInfinity;
        bool anyOi = false;
        foreach (ref readonly ChainRow candidate in rows)
        {
            double settle = candidate.Strike.ToDouble();
            double payout = 0;
            foreach (ref readonly ChainRow row in rows)
            {
                double strike = row.Strike.ToDouble();
                double callOi = Units(row.Call.Oi), putOi = Units(row.Put.Oi);
                anyOi |= callOi > 0 || putOi > 0;
                payout += (callOi * Math.Max(settle - strike, 0)) + (putOi * Math.Max(strike - settle, 0));
            }

            if (payout < least)
            {
                least = payout;
                best = candidate.Strike;
            }
        }

        return anyOi ? best : Price.None;
    }

    private static double Units(Quantity quantity) => quantity.HasValue ? quantity.ToDouble() : 0;

    private void Compute(ref ChainSide side, bool isCall, double strike)
    {
        if (!side.IsListed)
        {
            return;
        }

        double forward = _stats.Forward, years = _stats.YearsToExpiry, rate = _options.RiskFreeRate;
        double mid = side.Mid;
        // Each solve starts from the option's last IV: after a tick it has usually moved little.
        if (ImpliedVolatility.TrySolve(isCall, mid, forward, strike, years, rate, out double ivMid, out IvFlag midFlag, side.IvMidFlag == IvFlag.None ? side.IvMid : double.NaN))
        {
            side.IvMid = ivMid;
        }

        side.IvMidFlag = double.IsNaN(mid) ? IvFlag.NoPrice : midFlag;
        double last = side.Ltp.HasValue ? side.Ltp.ToDouble() : double.NaN;
        if (ImpliedVolatility.TrySolve(isCall, last, forward, strike, years, rate, out double ivLast, out IvFlag lastFlag, side.IvLastFlag == IvFlag.None ? side.IvLast : side.IvMid))
        {
            side.IvLast = ivLast;
        }

        side.IvLastFlag = double.IsNaN(last) ? IvFlag.NoPrice : lastFlag;
        double iv = side.Iv;
        side.Greeks = double.IsNaN(iv) ? null : Black76.Greeks(isCall, forward, strike, years, rate, iv, onSpot: !_stats.OnFuture);
        if (side.VenueGreeksFresh && side.Greeks is { } ours && side.VenueGreeks is { } venue)
        {
            side.VenueGreeksFresh = false;
            double ivDifference = Math.Abs(venue.Iv - ours.Iv);
            _stats.GreeksCompared++;
            _stats.MaxIvDifferencePoints = Math.Max(_stats.MaxIvDifferencePoints, ivDifference);
            if (ivDifference > _options.IvTolerancePoints || Math.Abs(venue.Delta - ours.Delta) > _options.DeltaTolerance)
            {
                _stats.GreeksDisagreements++;
            }
        }
    }
}
