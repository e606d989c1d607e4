using System.Text;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;

using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Venues.Binance;

public class BinanceSymbolMapTests
{
    private static readonly BinanceSymbolMap s_map = new([new("BTCUSDT", new InstrumentId(1)), new("ETHBTC", new InstrumentId(2)), new("币安人生USDT", new InstrumentId(3))]);

    [Theory]
    [InlineData("BTCUSDT", 1)]
    [InlineData("btcusdt", 1)]
    [InlineData("BtcUsdt", 1)]
    [InlineData("ethbtc", 2)]
    [InlineData("币安人生USDT", 3)]
    [InlineData("币安人生usdt", 3)]
    public void Symbols_resolve_from_their_utf8_bytes_in_any_case(string symbol, int id)
    {
        Assert.True(s_map.TryGet(Encoding.UTF8.GetBytes(symbol), out InstrumentId found));
        Assert.Equal(new InstrumentId(id), found);
    }

    [Fact]
    public void Unknown_empty_overlong_and_invalid_utf8_symbols_are_not_found()
    {
        Assert.False(s_map.TryGet("BTCUSD"u8, out InstrumentId none));
        Assert.Equal(InstrumentId.None, none);
        Assert.False(s_map.TryGet(""u8, out _));
        Assert.False(s_map.TryGet(Encoding.UTF8.GetBytes(new string('A', BinanceSymbolMap.MaxSymbolBytes + 1)), out _));
        Assert.False(s_map.TryGet([0x42, 0xFF, 0x43], out _));
        Assert.False(s_map.TryGet([0xE5, 0xB8], out _));
    }

    [Fact]
    public void A_lookup_allocates_nothing()
    {
        byte[] symbol = "btcusdt"u8.ToArray();
        s_map.TryGet(symbol, out _);
        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                s_map.TryGet(symbol, out _);
            }
        }));
    }
}
