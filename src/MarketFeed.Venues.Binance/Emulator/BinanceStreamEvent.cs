using MarketFeed.Model;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// One event of one stream, made once and sent to every connection subscribed to the stream, in the form each asked
/// for: raw or wrapped <c>{"stream":…,"data":…}</c>, times in ms or µs. <see cref="Tick"/> is what a trade or
/// bookTicker event says, for <see cref="BinanceEmulator.Sent"/>.
/// </summary>
internal sealed class BinanceStreamEvent(string stream, string symbol, Func<bool, string> payload, Tick? tick = null)
{
    private readonly string?[] _texts = new string?[4];

    /// <summary>The stream name exactly as subscribed, e.g. <c>btcusdt@depth@100ms</c> (<c>!serverShutdown</c> for the notice).</summary>
    public string Stream { get; } = stream;

    /// <summary>The symbol, upper case; empty for events of no symbol.</summary>
    public string Symbol { get; } = symbol;

    public Tick? Tick { get; } = tick;

    public string Text(bool combined, bool microseconds)
    {
        int slot = (combined ? 2 : 0) + (microseconds ? 1 : 0);
        return _texts[slot] ??= combined
            ? $"{{\"stream\":{BinanceJson.Quote(Stream)},\"data\":{Text(false, microseconds)}}}"
            : payload(microseconds);
    }
}
