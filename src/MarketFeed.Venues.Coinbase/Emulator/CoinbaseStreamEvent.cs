using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// One message's worth of a product's events on one channel (<paramref name="Channel"/> as subscribed:
/// <c>market_trades</c>, <c>ticker</c>, <c>level2</c>), its <c>events</c> array already written; each connection wraps it
/// in the envelope with its own <c>sequence_num</c>. <paramref name="Sent"/> is what a client should decode from it.
/// </summary>
internal sealed record CoinbaseStreamEvent(string Channel, string Product, DateTime Time, string Events, IReadOnlyList<Tick> Sent)
{
    /// <summary>The channel the message is sent on: <c>level2</c> data comes on <c>l2_data</c>.</summary>
    public string MessageChannel => Channel == CoinbaseChannels.Level2 ? "l2_data" : Channel;

    public string Text(long sequence) => CoinbaseJson.Envelope(MessageChannel, Time, sequence, Events);
}
