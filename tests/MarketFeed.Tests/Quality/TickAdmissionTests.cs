using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Tests.Venues.Kite;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Tests.Quality;

public class TickAdmissionTests
{
    private const long TenPercent = 1_000;
    private static readonly long s_maxSkew = TimeSpan.FromMinutes(10).Ticks;
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(150_000_000_000L, 1_000_000_000_000_000L, false)]
    [InlineData(150_000_000_000L, 165_000_000_000L, true)]
    [InlineData(150_000_000_000L, 165_000_000_001L, false)]
    [InlineData(150_000_000_000L, 135_000_000_000L, true)]
    [InlineData(1L, long.MaxValue, false)]
    [InlineData(long.MaxValue, 1L, false)]
    [InlineData(long.MaxValue, long.MaxValue - 1, true)]
    [InlineData(long.MaxValue - 1, long.MaxValue, true)]
    [InlineData(long.MaxValue, long.MaxValue / 2, false)]
    [InlineData(1L, long.MinValue + 1, false)]
    public void The_band_is_exact_for_every_representable_price(long reference, long price, bool within) =>
        Assert.Equal(within, TickAdmission.WithinBand(Price.FromRaw(price), Price.FromRaw(reference), TenPercent));

    [Fact]
    public void The_band_is_exact_for_the_widest_configurable_band() =>
        Assert.True(TickAdmission.WithinBand(Price.FromRaw(1), Price.FromRaw(long.MaxValue), long.MaxValue));

    [Fact]
    public void A_realistic_full_tick_is_accepted() =>
        Assert.Equal(AdmissionVerdict.Accept, TickAdmission.Validate(FullTick(), s_maxSkew));

    [Theory]
    [InlineData(KiteDecoderTests.OfficialFull)]
    [InlineData(KiteDecoderTests.OfficialQuote)]
    public void The_official_kite_packets_are_accepted(string hex)
    {
        KiteDecoder.DecodePacket(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), new InstrumentId(1), s_received, out Tick tick);
        Assert.Equal(AdmissionVerdict.Accept, TickAdmission.Validate(tick, s_maxSkew));
    }

    [Theory]
    [InlineData("high below low")]
    [InlineData("ltp above high")]
    [InlineData("ltp below low")]
    [InlineData("open above high")]
    [InlineData("open below low")]
    [InlineData("bid above ask")]
    [InlineData("bid depth rises")]
    [InlineData("bid depth rises across an empty level")]
    [InlineData("ask depth falls")]
    [InlineData("depth count beyond five levels")]
    [InlineData("ltq above cumulative day volume")]
    [InlineData("close beyond the maximum price")]
    [InlineData("depth price beyond the maximum price")]
    [InlineData("volume beyond the maximum quantity")]
    [InlineData("open interest beyond the maximum quantity")]
    [InlineData("depth quantity beyond the maximum quantity")]
    [InlineData("ltp near long.MaxValue")]
    public void An_inconsistent_tick_is_rejected(string rule)
    {
        Tick tick = FullTick();
        switch (rule)
        {
            case "high below low":
                (tick.High, tick.Low, tick.Ltp, tick.Open) = (P(1561), P(1561.05m), Price.None, Price.None);
                break;
            case "ltp above high":
                tick.Ltp = P(1575.05m);
                break;
            case "ltp below low":
                tick.Ltp = P(1561m);
                break;
            case "open above high":
                tick.Open = P(1575.05m);
                break;
            case "open below low":
                tick.Open = P(1561m);
                break;
            case "bid above ask":
                tick.Bid = P(1573.75m);
                break;
            case "bid depth rises":
                tick.Depth.Bids[3] = new DepthLevel(P(1572.96m), Quantity.FromUnits(219), 7);
                break;
            case "bid depth rises across an empty level":
                tick.Depth.Bids[2] = new DepthLevel(Price.Zero, Quantity.Zero, 0);
                tick.Depth.Bids[3] = new DepthLevel(P(1573.05m), Quantity.FromUnits(219), 7);
                break;
            case "ask depth falls":
                tick.Depth.Asks[4] = new DepthLevel(P(1573.8m), Quantity.FromUnits(724), 5);
                break;
            case "depth count beyond five levels":
                tick.Depth.AskCount = 6;
                break;
            case "ltq above cumulative day volume":
                tick.Ltq = tick.Volume + Quantity.FromUnits(1);
                break;
            case "close beyond the maximum price":
                tick.Close = Price.FromRaw(TickConsistency.MaxPrice.Raw + 1);
                break;
            case "depth price beyond the maximum price":
                tick.Depth.Asks[4] = new DepthLevel(Price.FromRaw(TickConsistency.MaxPrice.Raw + 1), Quantity.FromUnits(724), 5);
                break;
            case "volume beyond the maximum quantity":
                tick.Volume = Quantity.FromRaw(TickConsistency.MaxQuantity.Raw + 1);
                break;
            case "open interest beyond the maximum quantity":
                tick.Oi = Quantity.FromRaw(long.MaxValue);
                break;
            case "depth quantity beyond the maximum quantity":
                tick.Depth.Bids[1] = new DepthLevel(P(1573m), Quantity.FromRaw(TickConsistency.MaxQuantity.Raw + 1), 2);
                break;
            case "ltp near long.MaxValue":
                tick = LtpOnly(Price.FromRaw(long.MaxValue - 1));
                break;
        }

        Assert.Equal(AdmissionVerdict.RejectInconsistent, TickAdmission.Validate(tick, s_maxSkew));
    }

    [Theory]
    [InlineData("locked bid and ask")]
    [InlineData("empty depth levels")]
    [InlineData("ltp at high and open at low")]
    [InlineData("only a high")]
    [InlineData("ltq with no volume traded yet today")]
    [InlineData("ltq above a volume that is not cumulative")]
    [InlineData("prices and quantities at the maximum")]
    [InlineData("an ltp-only tick")]
    public void A_consistent_tick_is_accepted(string rule)
    {
        Tick tick = FullTick();
        switch (rule)
        {
            case "locked bid and ask":
                tick.Bid = tick.Ask;
                break;
            case "empty depth levels":
                tick.Depth.Bids[1] = new DepthLevel(Price.Zero, Quantity.Zero, 0);
                tick.Depth.Asks[4] = default;
                tick.Depth.Asks[3] = new DepthLevel(Price.None, Quantity.None, 0);
                break;
            case "ltp at high and open at low":
                (tick.Ltp, tick.Open) = (tick.High, tick.Low);
                break;
            case "only a high":
                (tick.High, tick.Low, tick.Ltp) = (P(1570m), Price.None, P(1573.7m));
                break;
            case "ltq with no volume traded yet today":
                tick.Volume = Quantity.Zero;
                break;
            case "ltq above a volume that is not cumulative":
                (tick.Ltq, tick.Flags) = (tick.Volume + Quantity.FromUnits(1), TickFlags.None);
                break;
            case "prices and quantities at the maximum":
                tick = LtpOnly(TickConsistency.MaxPrice);
                (tick.Volume, tick.Oi, tick.Flags) = (TickConsistency.MaxQuantity, TickConsistency.MaxQuantity, TickFlags.CumulativeVolume);
                break;
            case "an ltp-only tick":
                tick = LtpOnly(P(10_000_000m));
                break;
        }

        Assert.Equal(AdmissionVerdict.Accept, TickAdmission.Validate(tick, s_maxSkew));
    }

    [Fact]
    public void Negative_depth_prices_and_quantities_are_invalid()
    {
        Tick tick = FullTick();
        tick.Depth.Bids[4] = new DepthLevel(P(-1m), Quantity.FromUnits(50), 1);
        Assert.Equal(AdmissionVerdict.RejectInvalidPrice, TickAdmission.Validate(tick, s_maxSkew));

        tick = FullTick();
        tick.Depth.Asks[0] = new DepthLevel(P(1573.7m), Quantity.FromUnits(-172), 3);
        Assert.Equal(AdmissionVerdict.RejectInvalidQuantity, TickAdmission.Validate(tick, s_maxSkew));
    }

    private static Price P(decimal value) => Price.FromDecimal(value);

    private static Tick LtpOnly(Price ltp) => new(new InstrumentId(1)) { ExchangeTime = s_received, ReceiveTime = s_received, Ltp = ltp, Mode = FeedMode.Ltp };

    /// <summary>The official Kite full-mode vector (INFY) as the hub sees it after decoding.</summary>
    private static Tick FullTick()
    {
        var tick = new Tick(new InstrumentId(1))
        {
            ExchangeTime = s_received.AddSeconds(-1),
            ReceiveTime = s_received,
            Ltp = P(1573.7m),
            Ltq = Quantity.FromUnits(7),
            Atp = P(1570.33m),
            Volume = Quantity.FromUnits(1192471),
            Open = P(1569.15m),
            High = P(1575m),
            Low = P(1561.05m),
            Close = P(1567.8m),
            Bid = P(1573.4m),
            BidQty = Quantity.FromUnits(5),
            Ask = P(1573.7m),
            AskQty = Quantity.FromUnits(172),
            Oi = Quantity.Zero,
            Flags = TickFlags.CumulativeVolume,
            Mode = FeedMode.Full,
        };
        (decimal Price, long Qty, int Orders)[] bids = [(1573.4m, 5, 1), (1573m, 140, 2), (1572.95m, 2, 1), (1572.9m, 219, 7), (1572.85m, 50, 1)];
        (decimal Price, long Qty, int Orders)[] asks = [(1573.7m, 172, 3), (1573.75m, 44, 3), (1573.85m, 302, 3), (1573.9m, 141, 2), (1573.95m, 724, 5)];
        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            tick.Depth.SetBid(level, new DepthLevel(P(bids[level].Price), Quantity.FromUnits(bids[level].Qty), bids[level].Orders));
            tick.Depth.SetAsk(level, new DepthLevel(P(asks[level].Price), Quantity.FromUnits(asks[level].Qty), asks[level].Orders));
        }

        return tick;
    }
}
