using MarketFeed.Feeds;
using MarketFeed.Instruments;

namespace MarketFeed.Chains;

/// <summary>The chain's window of strikes: following the money, and the previous day's OI of the options in it.</summary>
public sealed partial class LiveChain
{
    /// <summary>The options of the window whose previous-day OI is not known yet.</summary>
    internal IReadOnlyList<Instrument> OptionsWithoutPreviousOi()
    {
        var wanted = new List<Instrument>();
        lock (_gate)
        {
            for (int i = _calculator.Stats.WindowFirst; i <= _calculator.Stats.WindowLast; i++)
            {
                ForEachOption(i, instrument =>
                {
                    if (!_calculator.HasPreviousOi(instrument.Id))
                    {
                        wanted.Add(instrument);
                    }
                });
            }
        }

        return wanted;
    }

    /// <summary>Measures an option's OI change from the previous day's OI from now on (its strike is recomputed and sent).</summary>
    internal void ApplyPreviousOi(PreviousOpenInterest previous)
    {
        lock (_gate)
        {
            int index = _calculator.SetPreviousOi(previous.Instrument, previous.Oi);
            if (index < 0)
            {
                return;
            }

            _calculator.BeginRecompute(_host.Time.GetUtcNow().UtcDateTime);
            _calculator.RecomputeStrike(index);
            _calculator.RecomputeChain();
        }

        Notify();
    }

    /// <summary>Centres the window on strike <paramref name="centre"/>: subscribes the strikes entering it, unsubscribes those leaving.</summary>
    private void MoveWindow(int centre, bool initial)
    {
        int count = Definition.Strikes.Count;
        int first = Math.Max(0, centre - StrikesEachSide), last = Math.Min(count - 1, centre + StrikesEachSide);
        int oldFirst = initial ? 0 : _calculator.Stats.WindowFirst, oldLast = initial ? -1 : _calculator.Stats.WindowLast;
        for (int i = oldFirst; i <= oldLast; i++)
        {
            if (i < first || i > last)
            {
                ForEachOption(i, instrument => _subscription.Remove(instrument.Symbol));
            }
        }

        _calculator.SetWindow(first, last);
        for (int i = first; i <= last; i++)
        {
            if (i < oldFirst || i > oldLast)
            {
                ForEachOption(i, instrument =>
                {
                    _subscription.Add(instrument);
                    Seed(instrument.Id);
                });
            }
        }

        _centre = centre;
        _windowSeq++;
        _previousOi?.WindowMoved();
        if (!initial)
        {
            ChainLog.Recentred(_logger, Definition.Root, Expiry(Definition), Definition.Strikes[first].Strike.ToString(), Definition.Strikes[last].Strike.ToString());
        }
    }

    private static string Expiry(ChainDefinition definition) => definition.Expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private void ForEachOption(int strike, Action<Instrument> action)
    {
        ChainStrike listed = Definition.Strikes[strike];
        if (listed.Call is not null)
        {
            action(listed.Call);
        }

        if (listed.Put is not null)
        {
            action(listed.Put);
        }
    }
}
