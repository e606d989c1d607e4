using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Venues.Binance.Emulator;
using MarketFeed.Venues.Coinbase.Emulator;
using MarketFeed.Venues.Dhan.Emulator;
using MarketFeed.Venues.Kite.Emulator;
using MarketFeed.Venues.Kraken.Emulator;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Xunit.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>
/// Every venue's decoder, fuzzed through its real feed session over loopback (<see cref="DecoderFuzzRun"/>): random,
/// truncated, extended, mutated, spliced, field-corrupted, empty and oversized frames, text and binary, mixed into a
/// live stream. Each venue runs this suite through a subclass; the long run is the benchmark's <c>fuzz VENUE FRAMES</c>.
/// </summary>
public abstract class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int FramesPerSeed = 10_000;

    protected abstract Task<IFuzzRig> StartAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_unreadable_frame_is_counted_and_nothing_else_is_disturbed(int seed)
    {
        await using IFuzzRig rig = await StartAsync();
        FuzzReport report = await DecoderFuzzRun.RunAsync(rig, new FuzzRunOptions { Frames = FramesPerSeed, Seed = seed, FramesPerStep = 100, Timeout = TimeSpan.FromMinutes(2) });
        foreach (string line in report.Describe())
        {
            output.WriteLine(line);
        }

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Describe()));

        // The run proves the rest: no reconnect, counted ≥ guaranteed unreadable, controls exactly as sent, status healthy.
        Assert.Equal(FramesPerSeed, report.FramesSent);
        Assert.Equal(FuzzSettings.DefaultKinds.Order(), report.ByKind.Keys.Order());
        Assert.True(report.MustReject > FramesPerSeed / 4, "most kinds are guaranteed unreadable");
        Assert.Equal(0, report.HandlerErrors);
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_costs_one_reconnect_as_rfc_6455_requires_and_the_controls_come_back()
    {
        await using IFuzzRig rig = await StartAsync();
        await using MarketSubscription targets = rig.Host.Subscribe(rig.Targets, new SubscriberOptions { Ticks = false });
        await using MarketSubscription controls = rig.Host.Subscribe(rig.Controls.Select(c => c.Symbol), null);
        await KiteVenue.CollectAsync(controls, t => t.Count >= 4);

        string target = rig.Host.Resolve(rig.Targets[0]).NativeKey;
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        rig.Health.StateChanged += change => reasons.Enqueue(change.To == FeedState.Reconnecting ? change.Reason : null);
        rig.SetFaults($"fuzz=1,fuzzcount=1,fuzzkinds=invalidutf8,fuzztarget={target}");
        await SimulatedHost.WaitUntil(() => rig.Tally.Sent == 1 && rig.Health.Reconnects == 1 && rig.Health.State == FeedState.Connected);
        List<Tick> after = await KiteVenue.CollectAsync(controls, t => t.Select(x => x.Instrument).Distinct().Count() == rig.Controls.Count);

        // The WebSocket layer fails the connection before the frame reaches the feed: nothing to count, one reconnect.
        Assert.Equal(1, rig.Tally.SentOf(FuzzKind.InvalidUtf8));
        Assert.Equal((0, 0, 0), (rig.Health.MalformedFrames, rig.Health.OversizedFrames, rig.Health.HandlerErrors));
        Assert.Contains(reasons, r => r is not null);

        // Recovered: the error that made it reconnect is no longer the feed's last error.
        Assert.Null(rig.Health.LastError);
        Assert.All(after, t => Assert.Contains(t.Instrument, rig.Controls.Select(c => rig.Host.Resolve(c.Symbol).Id)));
        Assert.Equal(1, rig.Health.Reconnects);
    }
}

public sealed class KiteDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await KiteFuzzRig.StartAsync();
}

public sealed class DhanDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await DhanFuzzRig.StartAsync();
}

public sealed class BinanceDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await BinanceFuzzRig.StartAsync();
}

public sealed class CoinbaseDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await CoinbaseFuzzRig.StartAsync();
}

public sealed class KrakenDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await KrakenFuzzRig.StartAsync();
}
