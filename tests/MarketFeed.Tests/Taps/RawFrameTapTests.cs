using System.Collections.Concurrent;
using System.Text;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Taps;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Kite;
using MarketFeed.Venues.Kite.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Taps;

public class RawFrameTapTests
{
    [Fact]
    public async Task The_tap_sees_every_frame_in_and_every_control_message_out_byte_for_byte()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-tap-").FullName,
        }).Build();
        var tap = new RecordingTap();
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([new KiteFeed(configuration, TimeProvider.System)], new HubOptions { Partitions = 1 }, rawFrames: tap);
        await using MarketSubscription sub = host.Subscribe("NSE:INFY");
        await KiteVenue.CollectAsync(sub, t => t.Count >= 3);

        Assert.Contains(tap.Frames, f => f.Direction == RawFrameDirection.Out && f.IsText && Encoding.UTF8.GetString(f.Bytes).Contains("\"subscribe\"", StringComparison.Ordinal));
        RawFrame[] binary = [.. tap.Frames.Where(f => f.Direction == RawFrameDirection.In && !f.IsText && f.Bytes.Length > 2)];
        Assert.NotEmpty(binary);
        Assert.All(tap.Frames, f => Assert.Equal(("kite", 0), (f.Feed, f.Connection)));

        // The recorded bytes decode to the same packets the feed turned into ticks.
        var ticks = new List<Tick>();
        Assert.True(host.Feeds.OfType<KiteFeed>().Single().Protocol.DecodeBinary(binary[^1].Bytes, DateTime.UtcNow, ticks));
        Assert.Contains(ticks, t => t.Instrument == host.Resolve("NSE:INFY").Id);
    }

    private sealed record RawFrame(string Feed, int Connection, RawFrameDirection Direction, bool IsText, byte[] Bytes, DateTime At);

    private sealed class RecordingTap : IRawFrameTap
    {
        public ConcurrentQueue<RawFrame> Frames { get; } = new();

        public void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc) =>
            Frames.Enqueue(new RawFrame(feed, connection, direction, isText, bytes.ToArray(), atUtc));
    }
}
