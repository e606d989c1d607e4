using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>The instrument master from AssetPairs: v2 names, ticks and lots, REST names kept, unreadable pairs rejected.</summary>
public class KrakenAssetPairsTests
{
    [Fact]
    public void Pairs_become_spot_instruments_named_as_v2_names_them_with_tick_and_lot()
    {
        var registry = new InstrumentRegistry();
        var master = new KrakenInstrumentMaster();
        master.Load(Encoding.UTF8.GetBytes(KrakenPairsJson.Sample), registry, "kraken", 10, "sample");

        Assert.Equal((3, 2), (master.Count, master.Rejected));
        Instrument btc = registry.Resolve("KRAKEN:BTC/USD");
        Assert.Equal((InstrumentKind.Spot, 0.1m, 0.00000001m, "BTC/USD", "kraken"), (btc.Kind, btc.TickSize.ToDecimal(), btc.QuantityStep.ToDecimal(), btc.NativeKey, btc.Feed));
        Assert.True(master.TryGetRestPair(btc.Id, out string? pair));
        Assert.Equal("XXBTZUSD", pair);
        Assert.Equal(0.0000001m, registry.Resolve("KRAKEN:DOGE/USD").TickSize.ToDecimal());
        Assert.True(master.Symbols.TryGet("ETH/USD", out InstrumentId eth));
        Assert.Equal(registry.Resolve("KRAKEN:ETH/USD").Id, eth);
    }

    [Fact]
    public void An_answer_with_krakens_error_list_is_refused_whole()
    {
        var e = Assert.Throws<KrakenRestException>(() => KrakenAssetPairs.Parse(Encoding.UTF8.GetBytes("""{"error":["EGeneral:Internal error"]}"""), "kraken"));
        Assert.Contains("EGeneral:Internal error", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => KrakenAssetPairs.Parse(Encoding.UTF8.GetBytes("<html>"), "kraken"));
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        Assert.Contains("BookDepth", Assert.Throws<FeedConfigurationException>(() => new KrakenOptions { BookDepth = 20 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<FeedConfigurationException>(() => new KrakenOptions { RestRequestsPerSecond = 0 }.Validate());
        new KrakenOptions().Validate();
    }
}
