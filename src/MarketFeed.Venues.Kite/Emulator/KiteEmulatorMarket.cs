using System.Text;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>
/// The emulator's exchange: the simulator's NSE/NFO universe under Kite instrument tokens (the well-known ones kept:
/// NIFTY 50 256265, NIFTY BANK 260105, INFY 408065, RELIANCE 738561), one simulated market behind all connections.
/// The simulator is not thread-safe, so every use goes through one lock.
/// </summary>
internal sealed class KiteEmulatorMarket
{
    private static readonly Dictionary<string, uint> s_wellKnown = new(StringComparer.Ordinal)
    {
        ["NSE:NIFTY 50"] = 256265,
        ["NSE:NIFTY BANK"] = 260105,
        ["NSE:INFY"] = 408065,
        ["NSE:RELIANCE"] = 738561,
    };

    private readonly Lock _gate = new();
    private readonly SimulatorMarket _market;
    private readonly int _seed;
    private readonly Dictionary<uint, Instrument> _byToken = [];
    private readonly Dictionary<string, uint> _bySymbol = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<uint, Tick> _latest = [];

    public KiteEmulatorMarket(int seed, DateOnly today, int strikesEachSide = 10)
    {
        _seed = seed;
        var registry = new InstrumentRegistry();
        var registered = new List<(SimulatedSpec, Instrument)>();
        uint exchangeToken = 1000;
        foreach (SimulatedSpec spec in SimulatorUniverse.Build("kite-emulator", today, aroundTheClock: true, strikesEachSide, seed))
        {
            if (spec.Definition.Exchange is not ("NSE" or "NFO"))
            {
                continue;
            }

            Instrument instrument = registry.Register(spec.Definition);
            registered.Add((spec, instrument));
            int segment = instrument.Kind == InstrumentKind.Index ? KiteSegments.Indices : instrument.Exchange == "NFO" ? 2 : 1;
            uint token = s_wellKnown.GetValueOrDefault(instrument.Symbol, (exchangeToken++ << 8) | (uint)segment);
            _byToken[token] = instrument;
            _bySymbol[instrument.Symbol] = token;
        }

        _market = new SimulatorMarket(registered, seed);
    }

    public IEnumerable<(uint Token, Instrument Instrument)> Instruments => _byToken.Select(p => (p.Key, p.Value));

    public bool TryGetInstrument(uint token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument) =>
        _byToken.TryGetValue(token, out instrument);

    public bool TryGetToken(string symbol, out uint token) => _bySymbol.TryGetValue(symbol, out token);

    /// <summary>The next tick of an instrument, with everything a full packet carries.</summary>
    public Tick Next(uint token, DateTime nowUtc)
    {
        lock (_gate)
        {
            Tick tick = _market.Next(_byToken[token].Id, nowUtc, FeedMode.Full);
            _latest[token] = tick;
            return tick;
        }
    }

    public Tick Latest(uint token, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(token, out Tick tick) ? tick : Next(token, nowUtc);
        }
    }

    public IReadOnlyList<Candle> History(uint token, CandleInterval interval, DateTime fromUtc, DateTime toUtc)
    {
        lock (_gate)
        {
            SimulatedInstrument simulated = _market.Find(_byToken[token].Id)!;
            int count = (int)Math.Clamp((toUtc - fromUtc).Ticks / interval.Length.Ticks, 0, 10_000);
            // The market trades around the clock so tests get ticks at any hour, but Kite's history holds session bars only.
            return [.. SimulatorHistory.Build(simulated, interval, toUtc, count, _seed)
                .Where(c => c.Start >= fromUtc && SessionCalendar.IndianEquity.SessionAt(c.Start) is not null)];
        }
    }

    /// <summary>The OI of a candle of the instrument (<see cref="SimulatorMarket.CandleOpenInterest"/>).</summary>
    public Quantity CandleOpenInterest(uint token, DateTime candleStartUtc, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _market.CandleOpenInterest(_byToken[token].Id, candleStartUtc, nowUtc);
        }
    }

    public string InstrumentsCsv()
    {
        var csv = new StringBuilder(KiteInstrumentCsv.Header).Append('\n');
        foreach ((uint token, Instrument instrument) in Instruments.OrderBy(i => i.Token))
        {
            csv.Append(KiteInstrumentCsv.Row(token, instrument)).Append('\n');
        }

        return csv.ToString();
    }
}
