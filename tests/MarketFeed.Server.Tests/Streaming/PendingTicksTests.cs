using MarketFeed.Model;
using MarketFeed.Server.Streaming;

namespace MarketFeed.Server.Tests.Streaming;

public class PendingTicksTests
{
    private static PendingTick Tick(int instrument, long seq) => new(new InstrumentId(instrument), seq, DateTime.UnixEpoch, new byte[] { (byte)seq });

    [Fact]
    public void A_newer_tick_replaces_the_pending_one_of_its_instrument_in_place_and_only_the_first_needs_a_wake()
    {
        var pending = new PendingTicks();
        Assert.Equal(OfferOutcome.First, pending.Offer(Tick(1, 10)));
        Assert.Equal(OfferOutcome.Added, pending.Offer(Tick(2, 20)));
        Assert.Equal(OfferOutcome.Conflated, pending.Offer(Tick(1, 11)));
        Assert.Equal(OfferOutcome.Added, pending.Offer(Tick(3, 30)));

        Assert.Equal([(1, 11L), (2, 20L), (3, 30L)], pending.Take().Select(t => (t.Instrument.Value, t.Seq)));
        Assert.Empty(pending.Take());
        Assert.Equal(OfferOutcome.First, pending.Offer(Tick(2, 21)));
        Assert.Equal([(2, 21L)], pending.Take().Select(t => (t.Instrument.Value, t.Seq)));
    }

    [Fact]
    public void Removing_an_instrument_drops_its_pending_tick_and_keeps_the_others_conflating()
    {
        var pending = new PendingTicks();
        pending.Offer(Tick(1, 10));
        pending.Offer(Tick(2, 20));
        pending.Offer(Tick(3, 30));
        pending.Remove(new InstrumentId(2));
        Assert.Equal(OfferOutcome.Conflated, pending.Offer(Tick(3, 31)));
        Assert.Equal(OfferOutcome.Added, pending.Offer(Tick(2, 22)));
        Assert.Equal([(1, 10L), (3, 31L), (2, 22L)], pending.Take().Select(t => (t.Instrument.Value, t.Seq)));
    }
}
