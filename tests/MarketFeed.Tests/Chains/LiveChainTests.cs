using MarketFeed.Chains;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;

namespace MarketFeed.Tests.Chains;

public class LiveChainTests
{
    [Fact]
    public async Task A_live_chain_subscribes_its_window_and_prices_the_simulator_s_options_at_its_smile()
    {
        (MarketFeedHost host, SimulatorFeed feed, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using LiveChain chain = host.Chains.Open("NIFTY", "2026-12-01", strikesEachSide: 3);
        ChainDefinition definition = chain.Definition;
        Assert.Null(definition.Future);
        Assert.True(host.Subscriptions.IsWanted(definition.Underlying!.Id));
        int wanted = definition.Strikes.Count(s => host.Subscriptions.IsWanted(s.Call!.Id) && host.Subscriptions.IsWanted(s.Put!.Id));
        Assert.Equal(7, wanted);
        Assert.Equal(FeedMode.Quote, host.Subscriptions.EffectiveMode(definition.Strikes[10].Call!.Id));

        using ChainReader reader = chain.OpenReader();
        ChainView? first = await reader.ReadAsync();
        Assert.True(first!.IsSnapshot);
        Assert.Equal(7, first.Rows.Length);

        await SimulatedHost.WaitUntil(() =>
        {
            feed.EmitAsync(200).AsTask().GetAwaiter().GetResult();
            ChainView now = chain.Snapshot();
            return now.Rows.All(r => r.Call.IvMidFlag != IvFlag.NoPrice && r.Put.IvMidFlag != IvFlag.NoPrice) && !double.IsNaN(now.Stats.Spot);
        });

        ChainView view = chain.Snapshot();
        Assert.False(view.Stats.OnFuture);
        ChainRow atm = view.Rows.Single(r => r.Strike == view.Stats.Atm);

        // The simulator prices at a smile whose at-the-money volatility is 14 %; its quotes are rounded to 0.05 and
        // kept clear of intrinsic by half a spread, so the mid's volatility is close to, not exactly, 14 %.
        Assert.InRange(atm.Call.IvMid, 0.13, 0.15);
        Assert.InRange(atm.Put.IvMid, 0.13, 0.15);
        Assert.InRange(atm.Call.Greeks!.Value.Delta, 0.35, 0.65);
        Assert.InRange(atm.Put.Greeks!.Value.Delta, -0.65, -0.35);
        Assert.InRange(view.Stats.PcrOi, 0.9, 1.1);
        Assert.True(view.Stats.MaxPain.HasValue);
        double left = view.Rows[0].SmileIv(view.Stats.Forward), middle = atm.SmileIv(view.Stats.Forward);
        Assert.True(left > middle, $"the smile rises to the left of the money: {left} at {view.Rows[0].Strike}, {middle} at the money");

        // Updates carry only the strikes that changed, each with its sequence number, in order.
        long seq = first.Seq;
        for (int i = 0; i < 5; i++)
        {
            await feed.EmitAsync(3);
            ChainView? update = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (update!.IsSnapshot)
            {
                continue;
            }

            Assert.True(update.Seq > seq);
            Assert.All(update.Rows, r => Assert.True(r.Seq > seq && r.Seq <= update.Seq));
            seq = update.Seq;
        }
    }

    [Fact]
    public async Task The_window_follows_the_underlying_and_readers_get_a_new_snapshot()
    {
        (MarketFeedHost host, SimulatorFeed feed, ManualTimeProvider clock) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using LiveChain chain = host.Chains.Open("NIFTY", "2026-12-01", strikesEachSide: 2);
        ChainDefinition definition = chain.Definition;
        await SimulatedHost.WaitUntil(() =>
        {
            feed.EmitAsync(50).AsTask().GetAwaiter().GetResult();
            return !double.IsNaN(chain.Snapshot().Stats.Spot);
        });

        ChainView before = chain.Snapshot();
        int centre = definition.NearestStrike(before.Stats.Forward);
        using ChainReader reader = chain.OpenReader();
        _ = await reader.ReadAsync();

        // The index jumps five strikes up (1 %: inside the hub's outlier band).
        PublishIndexAt(host, clock, definition, centre + 5, before.Stats.YearsToExpiry);

        ChainView? moved = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (moved is null || !moved.IsSnapshot)
        {
            moved = await reader.ReadAsync(timeout.Token);
        }

        Assert.Equal(definition.Strikes[centre + 5].Strike, moved.Rows[2].Strike);
        Assert.Equal(5, moved.Rows.Length);
        Assert.True(host.Subscriptions.IsWanted(definition.Strikes[centre + 7].Call!.Id));
        Assert.False(host.Subscriptions.IsWanted(definition.Strikes[centre - 2].Put!.Id));
        Assert.False(host.Subscriptions.IsWanted(definition.Strikes[centre + 2].Put!.Id));
    }

    [Fact]
    public async Task Oi_change_is_from_the_simulator_s_previous_day_close_for_every_option_of_the_window_also_after_it_moves()
    {
        (MarketFeedHost host, SimulatorFeed feed, ManualTimeProvider clock) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using LiveChain chain = host.Chains.Open("NIFTY", "2026-12-01", strikesEachSide: 2);
        ChainDefinition definition = chain.Definition;
        await SimulatedHost.WaitUntil(() =>
        {
            feed.EmitAsync(100).AsTask().GetAwaiter().GetResult();
            ChainView now = chain.Snapshot();
            return now.Rows.All(r => r.Call.OiBasis == OiChangeBasis.PreviousDay && r.Put.OiBasis == OiChangeBasis.PreviousDay);
        });

        ChainView view = chain.Snapshot();
        Instrument[] options = [.. view.Rows.SelectMany(r => new[] { definition.Strikes.Single(s => s.Strike == r.Strike).Call!, definition.Strikes.Single(s => s.Strike == r.Strike).Put! })];
        Dictionary<InstrumentId, Quantity> told = await feed.GetPreviousOpenInterestAsync(options, CancellationToken.None).ToDictionaryAsync(p => p.Instrument, p => p.Oi);
        Assert.Equal(options.Length, told.Count);
        foreach (ChainSide side in view.Rows.SelectMany(r => new[] { r.Call, r.Put }))
        {
            Assert.Equal(told[side.Instrument], side.PreviousOi);
            Assert.Equal(side.Oi - side.PreviousOi, side.OiChange);

            // The simulator's previous close is within 15 % of its 2,000,000 base, in whole lots.
            Assert.InRange(side.PreviousOi.ToDouble(), 1_700_000, 2_330_000);
            Assert.Equal(0, (long)side.PreviousOi.ToDouble() % 75);
        }

        Assert.Contains(view.Rows, r => Math.Abs(r.Call.OiChange.ToDouble()) > 10_000);

        // The index jumps five strikes up: the options entering the window are asked for too.
        int centre = definition.NearestStrike(view.Stats.Forward);
        PublishIndexAt(host, clock, definition, centre + 5, view.Stats.YearsToExpiry);
        // (No emission here: the simulator's own index would pull the window back; the new options have no tick yet.)
        await SimulatedHost.WaitUntil(() =>
        {
            ChainView now = chain.Snapshot();
            return now.Rows.Any(r => r.Strike == definition.Strikes[centre + 5].Strike)
                && now.Rows.All(r => r.Call.PreviousOi.HasValue && r.Put.PreviousOi.HasValue);
        });
    }

    [Fact]
    public async Task A_chain_held_up_never_holds_up_ingest_and_catches_up_with_the_latest_values()
    {
        (MarketFeedHost host, SimulatorFeed feed, ManualTimeProvider clock) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        await using LiveChain chain = host.Chains.Open("NIFTY", "2026-12-01", strikesEachSide: 2);
        await SimulatedHost.WaitUntil(() =>
        {
            feed.EmitAsync(50).AsTask().GetAwaiter().GetResult();
            return chain.Snapshot() is { Stats.Atm.HasValue: true } view && view.Rows.Any(r => r.Strike == view.Stats.Atm && r.Call.Ltp.HasValue);
        });
        ChainView settled = chain.Snapshot();
        Instrument call = chain.Definition.Strikes.Single(s => s.Strike == settled.Stats.Atm).Call!;

        // A reader's callback runs on the chain's consumer: blocking it stalls the chain, not the hub.
        using var release = new ManualResetEventSlim();
        int calls = 0;
        using ChainReader stalled = chain.OpenReader(() =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                release.Wait(TimeSpan.FromSeconds(30));
            }
        });
        await feed.EmitAsync(50);
        await SimulatedHost.WaitUntil(() => Volatile.Read(ref calls) >= 1);
        Assert.True(host.Hub.Quotes.TryGetLatest(call.Id, out Tick before));
        Quantity stalledOi = chain.Snapshot().Rows.Single(r => r.Call.Instrument == call.Id).Call.Oi;

        // Ingest goes on while the chain is held up.
        for (int i = 0; i < 100; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(200));
            await feed.EmitAsync(30).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }

        // Every emitted tick processed, so the hub's quote read next is the last one the chain can be given.
        await host.Hub.FlushAsync();
        Assert.True(host.Hub.Quotes.TryGetLatest(call.Id, out Tick latest));
        Assert.True(latest.Seq > before.Seq + 50, $"the hub went on: seq {before.Seq} → {latest.Seq}");

        // Released, the chain goes on from what its mailbox kept (conflated: the latest per instrument it was given).
        release.Set();
        await SimulatedHost.WaitUntil(() => Volatile.Read(ref calls) >= 2
            && chain.Snapshot().Rows.Any(r => r.Call.Instrument == call.Id && r.Call.Ltp.HasValue && r.Call.Oi != stalledOi));

        // And it ends on the hub's latest quote of the option, not on anything older its mailbox held.
        await SimulatedHost.WaitUntil(() => chain.Snapshot().Rows.Any(r => r.Call.Instrument == call.Id && r.Call.Ltp == latest.Ltp && r.Call.Oi == latest.Oi));
    }

    [Fact]
    public async Task Disposing_a_chain_releases_its_subscriptions_and_ends_its_readers()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        LiveChain chain = host.Chains.Open("BANKNIFTY", strikesEachSide: 2);
        ChainReader reader = chain.OpenReader();
        Assert.NotNull(await reader.ReadAsync());
        Assert.NotNull(chain.Definition.Future);
        await chain.DisposeAsync();
        Assert.Null(await reader.ReadAsync());
        Assert.DoesNotContain(chain.Definition.Strikes, s => host.Subscriptions.IsWanted(s.Call!.Id) || host.Subscriptions.IsWanted(s.Put!.Id));
        Assert.False(host.Subscriptions.IsWanted(chain.Definition.Future!.Id));
    }

    /// <summary>Publishes a trade of the index at the spot whose forward (carried at 6.5 %) is strike <paramref name="strike"/>.</summary>
    private static void PublishIndexAt(MarketFeedHost host, ManualTimeProvider clock, ChainDefinition definition, int strike, double years)
    {
        double spot = definition.Strikes[strike].Strike.ToDouble() / Math.Exp(0.065 * years);
        Assert.True(host.Hub.TryPublish(new Tick(definition.Underlying!.Id)
        {
            Ltp = Price.FromDouble(spot, Price.FromScaled(5, 2)), ExchangeTime = clock.GetUtcNow().UtcDateTime, ReceiveTime = clock.GetUtcNow().UtcDateTime,
            Updates = TickFields.Trade, Mode = FeedMode.Ltp,
        }));
    }
}
