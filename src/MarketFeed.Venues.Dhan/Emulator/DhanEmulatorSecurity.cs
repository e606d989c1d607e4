using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>One instrument of the emulator's exchange under Dhan's names.</summary>
internal sealed record DhanEmulatorSecurity(byte Segment, int SecurityId, MarketFeed.Instruments.Instrument Instrument, string DhanTradingSymbol, string CustomSymbol)
{
    public long Key => DhanSecurityMap.Key(Segment, SecurityId);

    public InstrumentId Id => Instrument.Id;

    /// <summary>The key a Dhan feed registers the instrument under (<c>NSE_EQ:2885</c>): what <see cref="DhanEmulator.Sent"/> and fuzz targets use.</summary>
    public string NativeKey => DhanScrip.NativeKey(Segment, SecurityId);
}
