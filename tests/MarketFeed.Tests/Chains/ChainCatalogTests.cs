using MarketFeed.Chains;
using MarketFeed.Hosting;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Chains;

public class ChainCatalogTests
{
    [Fact]
    public async Task Chains_come_from_the_registry_by_root_or_underlying_symbol_with_the_future_of_their_expiry()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        Assert.Equal(["BANKNIFTY", "NIFTY"], host.Chains.Underlyings());
        Assert.Equal(
            [("BANKNIFTY", "NSE:NIFTY BANK", "sim", 1), ("NIFTY", "NSE:NIFTY 50", "sim", 2)],
            host.Chains.List().Select(l => (l.Root, l.UnderlyingSymbol, l.Feed, l.Expiries.Count)));
        IReadOnlyList<DateOnly> expiries = host.Chains.Expiries("NIFTY");
        Assert.Equal([new DateOnly(2026, 11, 24), new DateOnly(2026, 12, 1)], expiries);
        Assert.Equal(expiries, host.Chains.Expiries("NSE:NIFTY 50"));

        ChainDefinition monthly = host.Chains.Define("nifty");
        Assert.Equal((new DateOnly(2026, 11, 24), 21, 75, "NSE:NIFTY 50"), (monthly.Expiry, monthly.Strikes.Count, monthly.LotSize, monthly.UnderlyingSymbol));
        Assert.Equal("NFO:NIFTY26NOVFUT", monthly.Future?.Symbol);
        Assert.All(monthly.Strikes, s => Assert.Equal((s.Strike, s.Strike), (s.Call!.Strike, s.Put!.Strike)));
        Assert.True(monthly.Strikes.Zip(monthly.Strikes.Skip(1)).All(p => p.First.Strike < p.Second.Strike));

        // The weekly expiry has no future of its own: it is priced on spot.
        Assert.Null(host.Chains.Define("NIFTY", "2026-12-01").Future);
        Assert.Equal("NFO:BANKNIFTY26NOVFUT", host.Chains.Define("BANKNIFTY").Future?.Symbol);
    }

    [Fact]
    public async Task An_unknown_expiry_names_the_listed_ones_and_an_underlying_without_options_is_named()
    {
        (MarketFeedHost host, _, _) = await SimulatedHost.StartAsync();
        await using MarketFeedHost owned = host;
        var expiry = Assert.Throws<UnknownExpiryException>(() => host.Chains.Define("NIFTY", "2026-11-25"));
        Assert.Equal("NSE:NIFTY 50 has no options expiring 2026-11-25; expiries listed: 2026-11-24, 2026-12-01", expiry.Message);
        Assert.Throws<UnknownExpiryException>(() => host.Chains.Define("NIFTY", "next week"));

        var none = Assert.Throws<NoOptionsException>(() => host.Chains.Define("NSE:RELIANCE"));
        Assert.Equal("NSE:RELIANCE has no options listed; underlyings with options: BANKNIFTY, NIFTY", none.Message);
        Assert.StartsWith("FOO has no options listed", Assert.Throws<NoOptionsException>(() => host.Chains.Expiries("FOO")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Chains.Open("NIFTY", strikesEachSide: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Chains.Open("NIFTY", strikesEachSide: 101));
    }
}
