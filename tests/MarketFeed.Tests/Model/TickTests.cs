using MarketFeed.Model;

namespace MarketFeed.Tests.Model;

public class TickTests
{
    [Fact]
    public void A_new_tick_has_every_optional_field_absent()
    {
        var tick = new Tick(new InstrumentId(3));
        Assert.False(tick.Ltp.HasValue);
        Assert.False(tick.Volume.HasValue);
        Assert.False(tick.Oi.HasValue);
        Assert.False(tick.HasExchangeTime);
        Assert.True(tick.Depth.IsEmpty);
        Assert.False(tick.Change.HasValue);
        Assert.Null(tick.ChangePercent);
    }

    [Fact]
    public void Change_and_percent_are_against_the_previous_close()
    {
        var tick = new Tick(new InstrumentId(1)) { Ltp = Price.FromDecimal(2934.5m), Close = Price.FromDecimal(2925m) };
        Assert.Equal(Price.FromDecimal(9.5m), tick.Change);
        Assert.Equal(0.32m, tick.ChangePercent);
    }

    [Fact]
    public void Event_time_is_exchange_time_when_sent_otherwise_receive_time()
    {
        var received = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
        var tick = new Tick(new InstrumentId(1)) { ReceiveTime = received };
        Assert.Equal(received, tick.EventTime);
        tick.ExchangeTime = received.AddSeconds(-1);
        Assert.Equal(received.AddSeconds(-1), tick.EventTime);
        tick.Flags = TickFlags.ClockAhead;
        Assert.Equal(received, tick.EventTime);
    }

    [Fact]
    public void Sameness_covers_depth_and_the_venue_sequence()
    {
        var a = new Tick(new InstrumentId(1)) { Ltp = Price.FromDecimal(10), VenueSequence = 1 };
        a.Depth.SetBid(0, new DepthLevel(Price.FromDecimal(9.95m), Quantity.FromUnits(5), 1));
        Tick b = a;
        Assert.True(a.SameMarketDataAs(in b));
        b.Depth.SetBid(0, new DepthLevel(Price.FromDecimal(9.95m), Quantity.FromUnits(6), 1));
        Assert.False(a.SameMarketDataAs(in b));
        Tick c = a;
        c.VenueSequence = 2;
        Assert.False(a.SameMarketDataAs(in c));
    }

    [Fact]
    public void A_partial_update_keeps_or_replaces_greeks_by_its_fields()
    {
        var state = new Tick(new InstrumentId(1)) { Ltp = Price.FromDecimal(100), Greeks = new OptionGreeks(0.5, 0.001, -10, 11, 14) };
        var trade = new Tick(new InstrumentId(1)) { Ltp = Price.FromDecimal(101), Updates = TickFields.Trade };
        state.Merge(in trade);
        Assert.Equal(0.5, state.Greeks!.Value.Delta);

        var greeks = new Tick(new InstrumentId(1)) { Greeks = new OptionGreeks(0.6, 0.001, -10, 11, 15), Updates = TickFields.Greeks };
        state.Merge(in greeks);
        Assert.Equal((0.6, 101m), (state.Greeks!.Value.Delta, state.Ltp.ToDecimal()));
        Assert.False(state.SameMarketDataAs(state with { Greeks = null }));
    }

    [Fact]
    public void Reset_in_place_leaves_exactly_a_new_tick_whatever_was_there()
    {
        var tick = new Tick(new InstrumentId(1))
        {
            Seq = 9, VenueSequence = 4, Ltp = Price.FromDecimal(100), Oi = Quantity.FromUnits(75), Greeks = new OptionGreeks(0.5, 0.001, -10, 11, 14),
            Mode = FeedMode.Full, Flags = TickFlags.CumulativeVolume, Updates = TickFields.Trade, ReceiveTime = DateTime.UnixEpoch,
        };
        tick.Depth.SetBid(4, new DepthLevel(Price.FromDecimal(99), Quantity.FromUnits(1), 1));

        tick.Reset(new InstrumentId(2));

        var fresh = new Tick(new InstrumentId(2));
        foreach (var property in typeof(Tick).GetProperties())
        {
            Assert.True(Equals(property.GetValue(fresh), property.GetValue(tick)), property.Name);
        }

        Assert.True(fresh.Depth.SameAs(tick.Depth));
        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            Assert.Equal(default, tick.Depth.Bids[level]);
        }
    }
}
