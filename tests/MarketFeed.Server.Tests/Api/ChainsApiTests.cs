using System.Net;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.Api.MarketDataApiTests;

namespace MarketFeed.Server.Tests.Api;

public class ChainsApiTests
{
    [Fact]
    public async Task A_chain_lists_the_window_around_the_money_with_iv_greeks_and_chain_figures()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        JsonElement list = await f.GetJsonAsync("/api/chains");
        JsonElement nifty = list.GetProperty("underlyings").EnumerateArray().Single(u => u.GetProperty("root").GetString() == "NIFTY");
        Assert.Equal("NSE:NIFTY 50", nifty.GetProperty("underlying").GetString());
        string[] expiries = [.. nifty.GetProperty("expiries").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(2, expiries.Length);

        JsonElement chain = default;
        await WaitUntilAsync(async () =>
        {
            chain = await f.GetJsonAsync("/api/chains/NIFTY?strikes=3");
            JsonElement atm = AtmRow(chain);
            return atm.ValueKind == JsonValueKind.Object && atm.GetProperty("call").GetProperty("ivMid").ValueKind == JsonValueKind.Number
                && atm.GetProperty("put").GetProperty("ivMid").ValueKind == JsonValueKind.Number;
        });

        Assert.Equal(("chain", true, "NSE:NIFTY 50", "NIFTY", expiries[0]), (chain.GetProperty("type").GetString(), chain.GetProperty("snapshot").GetBoolean(),
            chain.GetProperty("underlying").GetString(), chain.GetProperty("root").GetString(), chain.GetProperty("expiry").GetString()));
        Assert.Equal((75, 3), (chain.GetProperty("lotSize").GetInt32(), chain.GetProperty("strikesEachSide").GetInt32()));
        JsonElement[] strikes = [.. chain.GetProperty("strikes").EnumerateArray()];
        Assert.Equal(7, strikes.Length);
        decimal[] levels = [.. strikes.Select(s => s.GetProperty("strike").GetDecimal())];
        Assert.True(levels.Zip(levels.Skip(1)).All(p => p.Second - p.First == 50), string.Join(",", levels));
        Assert.Equal(levels[3], chain.GetProperty("atm").GetDecimal());
        Assert.InRange(chain.GetProperty("pcrOi").GetDouble(), 0.5, 2);
        Assert.Contains(chain.GetProperty("maxPain").GetDecimal(), levels);
        Assert.True(chain.GetProperty("daysToExpiry").GetDouble() > 0);

        JsonElement row = AtmRow(chain);
        JsonElement call = row.GetProperty("call"), put = row.GetProperty("put");
        Assert.StartsWith("NFO:NIFTY", call.GetProperty("symbol").GetString());
        Assert.EndsWith("CE", call.GetProperty("symbol").GetString());
        Assert.EndsWith("PE", put.GetProperty("symbol").GetString());

        // The simulator quotes its chain at a 14 % at-the-money volatility.
        Assert.InRange(call.GetProperty("ivMid").GetDouble(), 12.5, 15.5);
        Assert.InRange(put.GetProperty("ivMid").GetDouble(), 12.5, 15.5);
        Assert.Equal(JsonValueKind.Null, call.GetProperty("ivMidFlag").ValueKind);
        double callDelta = call.GetProperty("delta").GetDouble(), putDelta = put.GetProperty("delta").GetDouble();
        Assert.InRange(callDelta - putDelta, 0.9, 1.1);
        Assert.True(call.GetProperty("theta").GetDouble() < 0 && call.GetProperty("vega").GetDouble() > 0 && call.GetProperty("gamma").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, call.GetProperty("venue").ValueKind);

        // The simulator says each option's previous-day OI: the change is measured from it, and the side says so.
        await WaitUntilAsync(async () =>
        {
            chain = await f.GetJsonAsync("/api/chains/NIFTY?strikes=3");
            return chain.GetProperty("strikes").EnumerateArray().All(s => s.GetProperty("call").GetProperty("oiChangeBasis").GetString() == "previousDay");
        });
        call = AtmRow(chain).GetProperty("call");
        Assert.Equal(call.GetProperty("oi").GetDecimal() - call.GetProperty("previousOi").GetDecimal(), call.GetProperty("oiChange").GetDecimal());

        string json = chain.GetRawText();
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
    }

    [Fact]
    public async Task A_first_request_waits_for_every_option_of_the_window_so_its_figures_are_whole()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonElement first = await f.GetJsonAsync("/api/chains/BANKNIFTY?strikes=5");
        TimeSpan took = clock.Elapsed;

        // Every listed side has a price or OI — or the documented 3 s passed first (a venue that never quotes one).
        static bool Empty(JsonElement side) => side.ValueKind == JsonValueKind.Object
            && new[] { "ltp", "bid", "ask", "oi" }.All(field => side.GetProperty(field).ValueKind == JsonValueKind.Null);
        int empty = first.GetProperty("strikes").EnumerateArray().Sum(s => (Empty(s.GetProperty("call")) ? 1 : 0) + (Empty(s.GetProperty("put")) ? 1 : 0));
        Assert.True(empty == 0 || took >= TimeSpan.FromSeconds(2.9), $"{empty} sides without data in the first answer, after {took.TotalMilliseconds:F0} ms");
        Assert.Equal(11, first.GetProperty("strikes").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_expiry_lists_the_expiries_and_an_underlying_without_options_is_named()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        JsonElement problem = await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NIFTY?expiry=2000-01-04"), HttpStatusCode.NotFound, "no options expiring 2000-01-04");
        Assert.Equal(2, problem.GetProperty("expiries").GetArrayLength());
        Assert.Equal("NSE:NIFTY 50", problem.GetProperty("underlying").GetString());

        problem = await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NSE:RELIANCE"), HttpStatusCode.NotFound, "NSE:RELIANCE has no options listed");
        Assert.Equal(["BANKNIFTY", "NIFTY"], problem.GetProperty("withOptions").EnumerateArray().Select(e => e.GetString()));
        await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NIFTY?strikes=0"), HttpStatusCode.BadRequest, "strikes must be a whole number from 1 to 100");
        await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NIFTY?strikes=x"), HttpStatusCode.BadRequest, "strikes must be");
        await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NIFTY?mode=depth"), HttpStatusCode.BadRequest, "mode must be ltp, quote or full");
        await AssertProblemAsync(await f.Http.GetAsync("/api/chains/NIFTY?expiry=garbage"), HttpStatusCode.BadRequest, "expiry 'garbage' is not a date: use yyyy-MM-dd");
    }

    [Fact]
    public async Task A_chain_is_subscribed_in_the_mode_asked()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        JsonElement chain = await f.GetJsonAsync("/api/chains/BANKNIFTY?strikes=1&mode=full");
        string symbol = chain.GetProperty("strikes")[0].GetProperty("call").GetProperty("symbol").GetString()!;
        Assert.True(f.Gateway.Host.Instruments.TryGetBySymbol(symbol, out MarketFeed.Instruments.Instrument? option));
        Assert.Equal(MarketFeed.Model.FeedMode.Full, f.Gateway.Host.Subscriptions.EffectiveMode(option!.Id));
    }

    internal static JsonElement AtmRow(JsonElement chain) =>
        chain.GetProperty("atm").ValueKind == JsonValueKind.Number
            ? chain.GetProperty("strikes").EnumerateArray().FirstOrDefault(s => s.GetProperty("strike").GetDecimal() == chain.GetProperty("atm").GetDecimal())
            : default;

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(50);
        }
    }
}
