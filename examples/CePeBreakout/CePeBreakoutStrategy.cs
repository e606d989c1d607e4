using MarketFeed.Model;

namespace CePeBreakout;

/// <summary>
/// Watches a call and a put. During the opening range it records each leg's high; after it, the first leg to trade
/// above its own range high wins, the strategy locks onto that instrument and from then on decides stop and target
/// from that instrument's ticks only. Every price it uses comes from a tick of the instrument it is about: there is
/// no shared "last price" to mix up.
/// </summary>
public sealed class CePeBreakoutStrategy(InstrumentId call, InstrumentId put, BreakoutSettings settings)
{
    private readonly Dictionary<InstrumentId, decimal> _rangeHigh = [];

    public BreakoutPhase Phase { get; private set; } = BreakoutPhase.OpeningRange;

    public InstrumentId? Locked { get; private set; }

    public decimal? Entry { get; private set; }

    public decimal? Stop { get; private set; }

    public decimal? Target { get; private set; }

    public decimal? Exit { get; private set; }

    public IReadOnlyDictionary<InstrumentId, decimal> RangeHighs => _rangeHigh;

    public List<string> Journal { get; } = [];

    public void OnTick(in Tick tick)
    {
        if (tick.Instrument != call && tick.Instrument != put)
        {
            return;
        }

        if (!tick.Ltp.HasValue || (tick.Flags & TickFlags.Outlier) != 0)
        {
            return;
        }

        decimal ltp = tick.Ltp.ToDecimal();
        switch (Phase)
        {
            case BreakoutPhase.OpeningRange when tick.EventTime < settings.OpeningRangeEndUtc:
                _rangeHigh[tick.Instrument] = _rangeHigh.TryGetValue(tick.Instrument, out decimal high) ? Math.Max(high, ltp) : ltp;
                break;
            case BreakoutPhase.OpeningRange:
                if (_rangeHigh.Count < 2)
                {
                    Journal.Add("opening range ended without ticks on both legs; nothing to watch");
                    Phase = BreakoutPhase.StoppedOut;
                    break;
                }

                Phase = BreakoutPhase.Watching;
                Journal.Add($"opening range: CE high {_rangeHigh[call]}, PE high {_rangeHigh[put]}");
                OnTick(in tick);
                break;
            case BreakoutPhase.Watching when ltp > _rangeHigh[tick.Instrument]:
                Locked = tick.Instrument;
                Entry = ltp;
                Stop = ltp * (1 - (settings.StopPercent / 100m));
                Target = ltp * (1 + (settings.TargetPercent / 100m));
                Phase = BreakoutPhase.Locked;
                Journal.Add($"{(tick.Instrument == call ? "CE" : "PE")} broke its range high {_rangeHigh[tick.Instrument]} at {ltp}: locked, stop {Stop:0.00}, target {Target:0.00}");
                break;
            case BreakoutPhase.Locked when tick.Instrument == Locked:
                if (ltp <= Stop)
                {
                    Finish(BreakoutPhase.StoppedOut, ltp, "stop");
                }
                else if (ltp >= Target)
                {
                    Finish(BreakoutPhase.TargetHit, ltp, "target");
                }

                break;
        }
    }

    private void Finish(BreakoutPhase phase, decimal ltp, string what)
    {
        Phase = phase;
        Exit = ltp;
        Journal.Add($"{what} reached at {ltp} (entry {Entry})");
    }
}
