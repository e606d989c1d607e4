using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>Receives what <see cref="KiteDecoder"/> finds in a frame. A struct implementation keeps decoding allocation-free.</summary>
public interface IKiteTickHandler
{
    void OnTick(in Tick tick);

    /// <summary>A packet for a token the instrument master does not know: never turned into a tick.</summary>
    void OnUnknownToken(uint token);
}
