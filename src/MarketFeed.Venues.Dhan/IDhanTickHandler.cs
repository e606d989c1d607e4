using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>Receives what <see cref="DhanDecoder"/> finds in a frame. A struct implementation keeps decoding allocation-free.</summary>
internal interface IDhanTickHandler
{
    void OnTick(in Tick tick);

    /// <summary>
    /// A previous-day close and open interest (code 6) for a known security; the handler keeps them, the close for
    /// later ticks (<see cref="DhanSecurityMap.SetPrevClose"/>), the OI for option chains (<see cref="DhanSecurityMap.SetPreviousOpenInterest"/>).
    /// </summary>
    void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi);

    /// <summary>Open interest (code 5, quote mode) for a known security; the handler keeps it for the next quote tick (<see cref="DhanSecurityMap.SetOpenInterest"/>).</summary>
    void OnOpenInterest(in DhanSecurity security, Quantity oi);

    /// <summary>A packet for a security the scrip master does not know: counted, never turned into a tick.</summary>
    void OnUnknownSecurity(byte segment, int securityId);

    /// <summary>Dhan's disconnect packet (code 50) with its reason code (805, 807, …).</summary>
    void OnDisconnect(int reason);
}
