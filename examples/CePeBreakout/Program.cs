using CePeBreakout;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

// The CE/PE breakout watcher on the simulator: the at-the-money NIFTY call and put of the nearest expiry,
// a 60-second opening range (pass another number of seconds as the first argument).
int rangeSeconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 60;
await using MarketFeedHost host = await MarketFeedHost.StartAsync();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

await using MarketSubscription index = host.Subscribe("NSE:NIFTY 50");
Tick spot = await index.Ticks(stop.Token).FirstAsync(stop.Token);
decimal atm = Math.Round(spot.Ltp.ToDecimal() / 50m) * 50m;
Instrument call = host.Instruments.Search($"NIFTY {atm} CE", 1)[0];
Instrument put = host.Instruments.Search($"NIFTY {atm} PE", 1)[0];
Console.WriteLine($"NIFTY {spot.Ltp}: watching {call.Symbol} and {put.Symbol}, opening range {rangeSeconds}s");

var strategy = new CePeBreakoutStrategy(call.Id, put.Id, new BreakoutSettings(host.Time.GetUtcNow().UtcDateTime.AddSeconds(rangeSeconds)));
await using MarketSubscription legs = host.Subscribe([call.Symbol, put.Symbol], new SubscriberOptions { Mode = FeedMode.Full });
int journaled = 0;
await foreach (Tick tick in legs.Ticks(stop.Token))
{
    strategy.OnTick(in tick);
    for (; journaled < strategy.Journal.Count; journaled++)
    {
        Console.WriteLine(strategy.Journal[journaled]);
    }

    if (strategy.Phase is BreakoutPhase.StoppedOut or BreakoutPhase.TargetHit)
    {
        break;
    }
}
