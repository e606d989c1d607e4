using System.Globalization;
using System.Text;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// The emulator's exchange: the simulator's NSE/NFO universe under Dhan's segments and security ids (the well-known
/// ones kept: NIFTY 50 IDX_I 13, NIFTY BANK IDX_I 25, HDFCBANK 1333, RELIANCE 2885, TCS 11536, INFY 1594, SBIN 3045)
/// with Dhan's trading symbols (<c>NIFTY-Nov2025-24000-CE</c>) and custom symbols (<c>NIFTY 25 NOV 24000 CALL</c>), one
/// simulated market behind every connection. The simulator is not thread-safe, so every use goes through one lock.
/// </summary>
internal sealed class DhanEmulatorMarket
{
    private static readonly Dictionary<string, (byte Segment, int Id, string DhanSymbol, string Custom)> s_wellKnown = new(StringComparer.Ordinal)
    {
        ["NSE:NIFTY 50"] = (DhanSegment.Index, 13, "NIFTY", "Nifty 50"),
        ["NSE:NIFTY BANK"] = (DhanSegment.Index, 25, "BANKNIFTY", "Nifty Bank"),
        ["NSE:HDFCBANK"] = (DhanSegment.NseEquity, 1333, "HDFCBANK", "HDFC Bank"),
        ["NSE:RELIANCE"] = (DhanSegment.NseEquity, 2885, "RELIANCE", "Reliance Industries"),
        ["NSE:TCS"] = (DhanSegment.NseEquity, 11536, "TCS", "Tata Consultancy Services"),
        ["NSE:INFY"] = (DhanSegment.NseEquity, 1594, "INFY", "Infosys"),
        ["NSE:SBIN"] = (DhanSegment.NseEquity, 3045, "SBIN", "State Bank of India"),
    };

    private readonly Lock _gate = new();
    private readonly SimulatorMarket _market;
    private readonly int _seed;
    private readonly Dictionary<long, DhanEmulatorSecurity> _byKey = [];
    private readonly Dictionary<InstrumentId, Tick> _latest = [];
    private readonly Dictionary<InstrumentId, Price> _prevClose = [];

    public DhanEmulatorMarket(int seed, DateOnly today, int strikesEachSide = 10)
    {
        _seed = seed;
        var registry = new InstrumentRegistry();
        var registered = new List<(SimulatedSpec, Instrument)>();
        int nextEquity = 100_000;
        int nextDerivative = 40_000;
        foreach (SimulatedSpec spec in SimulatorUniverse.Build("dhan-emulator", today, aroundTheClock: true, strikesEachSide))
        {
            if (spec.Definition.Exchange is not ("NSE" or "NFO"))
            {
                continue;
            }

            Instrument instrument = registry.Register(spec.Definition);
            registered.Add((spec, instrument));
            (byte segment, int id, string dhanSymbol, string custom) = s_wellKnown.TryGetValue(instrument.Symbol, out var known)
                ? known
                : instrument.Exchange == "NFO"
                    ? (DhanSegment.NseFno, nextDerivative++, DhanSymbol(instrument), CustomSymbol(instrument))
                    : (instrument.Kind == InstrumentKind.Index ? DhanSegment.Index : DhanSegment.NseEquity, nextEquity++, instrument.TradingSymbol, instrument.Name);
            var security = new DhanEmulatorSecurity(segment, id, instrument, dhanSymbol, custom);
            _byKey[security.Key] = security;
        }

        _market = new SimulatorMarket(registered, seed);
    }

    public IEnumerable<DhanEmulatorSecurity> Securities => _byKey.Values;

    public bool TryGet(byte segment, int securityId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DhanEmulatorSecurity? security) =>
        _byKey.TryGetValue(DhanSecurityMap.Key(segment, securityId), out security);

    public bool TryGet(long key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DhanEmulatorSecurity? security) => _byKey.TryGetValue(key, out security);

    /// <summary>The next tick of an instrument, with everything a full packet carries.</summary>
    public Tick Next(DhanEmulatorSecurity security, DateTime nowUtc)
    {
        lock (_gate)
        {
            Tick tick = _market.Next(security.Id, nowUtc, FeedMode.Full);
            _latest[security.Id] = tick;
            if (!_prevClose.ContainsKey(security.Id) && tick.Close.HasValue)
            {
                _prevClose[security.Id] = tick.Close;
            }

            return tick;
        }
    }

    /// <summary>
    /// The market as a REST quote sees it: it moves whether or not anyone streams the instrument, so a tick older
    /// than <paramref name="maxAge"/> is replaced by the next one (true when it was).
    /// </summary>
    public Tick Current(DhanEmulatorSecurity security, DateTime nowUtc, TimeSpan maxAge, out bool moved)
    {
        lock (_gate)
        {
            moved = !_latest.TryGetValue(security.Id, out Tick tick) || nowUtc - tick.ReceiveTime > maxAge;
            return moved ? Next(security, nowUtc) : tick;
        }
    }

    public Tick Latest(DhanEmulatorSecurity security, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(security.Id, out Tick tick) ? tick : Next(security, nowUtc);
        }
    }

    /// <summary>The previous day's close Dhan sends in its code-6 packet: the simulator's close of its first tick.</summary>
    public Price PrevClose(DhanEmulatorSecurity security, DateTime nowUtc)
    {
        Tick latest = Latest(security, nowUtc);
        lock (_gate)
        {
            return _prevClose.TryGetValue(security.Id, out Price close) ? close : latest.Close;
        }
    }

    /// <summary>The previous day's open interest Dhan sends in its code-6 packet: the simulator's (0 for what has none).</summary>
    public Quantity PreviousOpenInterest(DhanEmulatorSecurity security, DateTime nowUtc)
    {
        lock (_gate)
        {
            Quantity oi = _market.PreviousDayOpenInterest(security.Id, nowUtc);
            return oi.HasValue ? oi : Quantity.FromUnits(0);
        }
    }

    public IReadOnlyList<Candle> History(DhanEmulatorSecurity security, CandleInterval interval, DateTime fromUtc, DateTime toUtc)
    {
        lock (_gate)
        {
            SimulatedInstrument simulated = _market.Find(security.Id)!;
            int count = (int)Math.Clamp((toUtc - fromUtc).Ticks / interval.Length.Ticks, 0, 10_000);
            // The market trades around the clock so tests get ticks at any hour, but the venue's intraday history holds the
            // exchange session's bars only (daily bars: every day the simulator traded, so the previous day's OI agrees).
            return [.. SimulatorHistory.Build(simulated, interval, toUtc, count, _seed)
                .Where(c => c.Start >= fromUtc && (interval.Length >= CandleInterval.OneDay.Length || SessionCalendar.IndianEquity.SessionAt(c.Start) is not null))];
        }
    }

    public string ScripMasterCsv()
    {
        var csv = new StringBuilder(DhanScripMasterCsv.Header).Append('\n');
        foreach (DhanEmulatorSecurity s in _byKey.Values.OrderBy(s => s.Segment).ThenBy(s => s.SecurityId))
        {
            csv.Append(DhanScripMasterCsv.Row(s.Segment, s.SecurityId, s.Instrument, s.DhanTradingSymbol, s.CustomSymbol)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Dhan's exchange-style symbol: <c>NIFTY-Nov2025-24000-CE</c>, <c>NIFTY-Nov2025-FUT</c>.</summary>
    private static string DhanSymbol(Instrument i)
    {
        string month = i.Expiry!.Value.ToString("MMMyyyy", CultureInfo.InvariantCulture);
        return i.IsOption
            ? $"{i.Name}-{month}-{i.Strike.ToDecimal().ToString("0.##", CultureInfo.InvariantCulture)}-{(i.Kind == InstrumentKind.Call ? "CE" : "PE")}"
            : $"{i.Name}-{month}-FUT";
    }

    /// <summary>The display name users type: <c>NIFTY 25 NOV 24000 CALL</c> (day of expiry, month, strike), <c>NIFTY NOV FUT</c>.</summary>
    private static string CustomSymbol(Instrument i)
    {
        DateOnly expiry = i.Expiry!.Value;
        string month = expiry.ToString("MMM", CultureInfo.InvariantCulture).ToUpperInvariant();
        return i.IsOption
            ? $"{i.Name} {expiry.Day} {month} {i.Strike.ToDecimal().ToString("0.##", CultureInfo.InvariantCulture)} {(i.Kind == InstrumentKind.Call ? "CALL" : "PUT")}"
            : $"{i.Name} {month} FUT";
    }
}
