using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>One instrument of the emulator's exchange under Dhan's names.</summary>
internal sealed record DhanEmulatorSecurity(byte Segment, int SecurityId, MarketFeed.Instruments.Instrument Instrument, string DhanTradingSymbol, string CustomSymbol)
{
    public long Key => DhanSecurityMap.Key(Segment, SecurityId);

    public InstrumentId Id => Instrument.Id;
}
