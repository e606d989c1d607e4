using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Instruments;

public class InstrumentRegistryTests
{
    private static async Task<InstrumentRegistry> SimulatorUniverseAsync()
    {
        var registry = new InstrumentRegistry();
        var feed = new SimulatorFeed(new SimulatorOptions { UniverseDate = new DateOnly(2026, 11, 20) }, TimeProvider.System);
        await feed.LoadInstrumentsAsync(registry, CancellationToken.None);
        return registry;
    }

    [Fact]
    public void Native_key_id_and_symbol_resolve_to_the_same_instrument()
    {
        var registry = new InstrumentRegistry();
        Instrument registered = registry.Register(TestInstruments.Equity("INFY"));
        Assert.False(registered.Id.IsNone);
        Assert.Same(registered, registry.Get(registered.Id));
        Assert.True(registry.TryGetBySymbol("nse:infy", out Instrument? bySymbol));
        Assert.Same(registered, bySymbol);
        Assert.True(registry.TryGetByNativeKey("test", "INFY", out Instrument? byKey));
        Assert.Same(registered, byKey);
    }

    [Fact]
    public void Registering_the_same_native_key_twice_returns_the_first_and_a_second_key_for_a_symbol_is_refused()
    {
        var registry = new InstrumentRegistry();
        Instrument first = registry.Register(TestInstruments.Equity("INFY"));
        Assert.Same(first, registry.Register(TestInstruments.Equity("INFY")));
        Assert.Throws<InvalidOperationException>(() => registry.Register(TestInstruments.Equity("INFY") with { NativeKey = "other" }));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task Search_finds_the_nearest_expiry_strike_and_kind_first()
    {
        InstrumentRegistry registry = await SimulatorUniverseAsync();
        IReadOnlyList<Instrument> found = registry.Search("NIFTY 24000 CE", asOfUtc: new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(2, found.Count);
        Assert.All(found, i => Assert.Equal((InstrumentKind.Call, 24000m), (i.Kind, i.Strike.ToDecimal())));
        Assert.True(found[0].Expiry < found[1].Expiry);
        // 24 Nov 2026 is November's last Tuesday (monthly), so the weekly series is 1 Dec.
        Assert.Equal("NFO:NIFTY26NOV24000CE", found[0].Symbol);
        Assert.Equal("NFO:NIFTY26D0124000CE", found[1].Symbol);
    }

    [Theory]
    [InlineData("reliance", "NSE:RELIANCE")]
    [InlineData("NSE:INFY", "NSE:INFY")]
    [InlineData("nifty bank", "NSE:NIFTY BANK")]
    [InlineData("btc", "BINANCE:BTCUSDT")]
    [InlineData("nifty fut", "NFO:NIFTY26NOVFUT")]
    public async Task Search_puts_the_obvious_match_first(string text, string expected)
    {
        InstrumentRegistry registry = await SimulatorUniverseAsync();
        Assert.Equal(expected, registry.Search(text, asOfUtc: new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc))[0].Symbol);
    }

    [Fact]
    public async Task An_unknown_symbol_fails_with_close_matches()
    {
        InstrumentRegistry registry = await SimulatorUniverseAsync();
        UnknownSymbolException error = Assert.Throws<UnknownSymbolException>(() => registry.Resolve("NSE:RELIANC"));
        Assert.Equal("NSE:RELIANCE", error.CloseMatches[0].Symbol);
        Assert.Contains("did you mean NSE:RELIANCE", error.Message);
    }
}
