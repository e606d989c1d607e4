using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// The emulator's market: each symbol's price follows the simulator's random walk (around the clock, so the emulator
/// trades at any hour), printing as a Poisson stream whether or not anyone listens, so <c>/quote</c> and the candle
/// endpoints move while the socket is quiet. The simulator is not thread-safe and REST reads the state, so everything
/// goes through one lock.
/// </summary>
internal sealed class FinnhubEmulatorMarket
{
    private readonly Lock _gate = new();
    private readonly SimulatorMarket _simulator;
    private readonly Dictionary<string, FinnhubEmulatorSymbol> _symbols = new(StringComparer.Ordinal);
    private readonly double _tradesPerSecond;

    public FinnhubEmulatorMarket(IReadOnlyList<FinnhubSymbolSpec> specs, int seed, double tradesPerSecond)
    {
        _tradesPerSecond = tradesPerSecond;
        Specs = specs;
        var registry = new InstrumentRegistry();
        var simulated = new List<(SimulatedSpec, Instrument)>();
        foreach (FinnhubSymbolSpec spec in specs)
        {
            Instrument instrument = registry.Register(new Instrument
            {
                Exchange = "FINNHUB", TradingSymbol = spec.Symbol, Name = spec.Description,
                Kind = spec.Kind == FinnhubSymbolKind.Stock ? InstrumentKind.Equity : InstrumentKind.Spot,
                TickSize = Price.FromScaled(1, spec.PriceDecimals), Calendar = SessionCalendar.Crypto, Feed = "finnhub-emulator", NativeKey = spec.Symbol,
            });
            _symbols[spec.Symbol] = new FinnhubEmulatorSymbol(spec, instrument.Id, seed);
            simulated.Add((new SimulatedSpec(instrument, spec.Price, spec.AnnualVolatility, SimulatedModel.RandomWalk, null, 1, 1, 0, SendsTrades: true, 0)
            {
                VolumePerMinute = 1_000,
            }, instrument));
        }

        _simulator = new SimulatorMarket(simulated, seed, books: false);
    }

    public IReadOnlyList<FinnhubSymbolSpec> Specs { get; }

    public bool Knows(string symbol) => _symbols.ContainsKey(symbol);

    /// <summary>The prints due by <paramref name="now"/>, of every symbol, in time order per symbol.</summary>
    public List<FinnhubTrade> Step(DateTime now)
    {
        var trades = new List<FinnhubTrade>();
        if (_tradesPerSecond <= 0)
        {
            return trades;
        }

        int cap = (int)Math.Min(10_000, 10 + _tradesPerSecond);
        lock (_gate)
        {
            foreach (FinnhubEmulatorSymbol symbol in _symbols.Values)
            {
                if (symbol.NextDue == default)
                {
                    symbol.NextDue = now.AddSeconds(symbol.NextGap(_tradesPerSecond));
                }

                for (int made = 0; symbol.NextDue <= now; made++)
                {
                    if (made == cap)
                    {
                        // Far behind (a stalled loop): the missed prints never happened.
                        symbol.NextDue = now.AddSeconds(symbol.NextGap(_tradesPerSecond));
                        break;
                    }

                    long price = _simulator.Next(symbol.Instrument, symbol.NextDue, FeedMode.Ltp).Ltp.Raw;
                    trades.Add(symbol.Print(price, symbol.NextDue));
                    symbol.NextDue = symbol.NextDue.AddSeconds(symbol.NextGap(_tradesPerSecond));
                }
            }
        }

        return trades;
    }

    /// <summary>What <c>/quote</c> answers for a symbol (last, open, high, low, previous close, time in Unix seconds); null for one it does not list.</summary>
    public (long Last, long Open, long High, long Low, long PreviousClose, long TimeSeconds)? Quote(string symbol)
    {
        lock (_gate)
        {
            if (!_symbols.TryGetValue(symbol, out FinnhubEmulatorSymbol? s))
            {
                return null;
            }

            return (s.Last, s.Open == 0 ? s.Last : s.Open, s.High == 0 ? s.Last : s.High, s.Low == 0 ? s.Last : s.Low, s.PreviousClose, s.LastTimeMs / 1000);
        }
    }

    /// <summary>Closed bars of <paramref name="minutes"/> minutes starting in [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>], built from the one-minute bars of the prints.</summary>
    public List<(long Start, long Open, long High, long Low, long Close, long Volume)> Bars(string symbol, int minutes, long fromSeconds, long toSeconds, long nowSeconds)
    {
        var bars = new List<(long, long, long, long, long, long)>();
        lock (_gate)
        {
            if (!_symbols.TryGetValue(symbol, out FinnhubEmulatorSymbol? s))
            {
                return bars;
            }

            foreach (IGrouping<long, KeyValuePair<long, (long Open, long High, long Low, long Close, long Volume)>> group in s.Bars.GroupBy(b => b.Key / minutes * minutes))
            {
                long start = group.Key * 60;
                if (start < fromSeconds || start > toSeconds || start + (minutes * 60) > nowSeconds)
                {
                    continue;
                }

                var ordered = group.OrderBy(b => b.Key).Select(b => b.Value).ToList();
                bars.Add((start, ordered[0].Open, ordered.Max(b => b.High), ordered.Min(b => b.Low), ordered[^1].Close, ordered.Sum(b => b.Volume)));
            }
        }

        return bars;
    }
}
