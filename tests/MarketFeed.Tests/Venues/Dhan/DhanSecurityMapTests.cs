using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

public sealed class DhanSecurityMapTests
{
    private static readonly Price s_paise5 = Price.FromDecimal(0.05m);

    [Fact]
    public void Every_security_of_a_large_master_is_found_in_its_segment_and_nowhere_else()
    {
        var entries = Enumerable.Range(0, 50_000)
            .Select(i => (Segment: i % 2 == 0 ? DhanSegment.NseFno : DhanSegment.NseEquity, SecurityId: 1_000 + i, Instrument: new InstrumentId(i + 1), TickSize: s_paise5))
            .ToList();
        var map = new DhanSecurityMap(entries);

        Assert.Equal(entries.Count, map.Count);
        foreach ((byte segment, int securityId, InstrumentId instrument, _) in entries)
        {
            Assert.True(map.TryGet(segment, securityId, out DhanSecurity found));
            Assert.Equal(instrument, found.Instrument);
            byte otherSegment = segment == DhanSegment.NseFno ? DhanSegment.NseEquity : DhanSegment.NseFno;
            Assert.False(map.TryGet(otherSegment, securityId, out _));
        }

        Assert.False(map.TryGet(DhanSegment.NseFno, 999, out _));
        Assert.False(DhanSecurityMap.Empty.TryGet(DhanSegment.NseFno, 1_000, out _));
    }

    [Fact]
    public void A_security_listed_twice_keeps_its_last_row_and_slots_stay_dense()
    {
        var map = new DhanSecurityMap([
            (DhanSegment.NseFno, 7, new InstrumentId(1), s_paise5),
            (DhanSegment.NseFno, 7, new InstrumentId(2), s_paise5),
            (DhanSegment.NseFno, 8, new InstrumentId(3), s_paise5),
        ]);

        Assert.Equal(2, map.Count);
        Assert.True(map.TryGet(DhanSegment.NseFno, 7, out DhanSecurity seven));
        Assert.True(map.TryGet(DhanSegment.NseFno, 8, out DhanSecurity eight));
        Assert.Equal(new InstrumentId(2), seven.Instrument);
        Assert.Equal([0, 1], new[] { seven.Slot, eight.Slot }.Order());

        // Every slot has its own cached close: a duplicate row once handed out a slot past the end of the cache.
        map.SetPrevClose(seven.Slot, Price.FromDecimal(100));
        map.SetPrevClose(eight.Slot, Price.FromDecimal(200));
        Assert.Equal(Price.FromDecimal(100), map.PrevClose(seven.Slot));
        Assert.Equal(Price.FromDecimal(200), map.PrevClose(eight.Slot));
    }
}
