using CePeBreakout;
using MarketFeed.Chains;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;

// The CE/PE breakout watcher on the simulator: the NIFTY call and put of the nearest expiry at the strike the chain
// prices at the money (call delta nearest 0.5), a 60-second opening range (pass another number of seconds as the
// first argument).
int rangeSeconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 60;
await using MarketFeedHost host = await MarketFeedHost.StartAsync();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

await using LiveChain chain = host.Chains.Open("NIFTY", strikesEachSide: 3);
await chain.WaitForDataAsync(TimeSpan.FromSeconds(10), stop.Token);
ChainView view = chain.Snapshot();
(Instrument call, Instrument put) = ChainLegs.Pick(view);
Console.WriteLine($"NIFTY {view.Stats.Spot:0.00} (ATM {view.Stats.Atm}): watching {call.Symbol} and {put.Symbol}, opening range {rangeSeconds}s");

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
