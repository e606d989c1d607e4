namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>How <c>marketfeed emulate finnhub</c> runs. Defaults behave like Finnhub's free plan.</summary>
public sealed class FinnhubEmulatorOptions
{
    /// <summary>The token the emulator accepts when none is configured.</summary>
    public const string DefaultToken = "emulator-token";

    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>The API key accepted on the socket (<c>?token=</c>) and REST (<c>token</c> or <c>X-Finnhub-Token</c>). Default <see cref="DefaultToken"/>.</summary>
    public string Token { get; set; } = DefaultToken;

    /// <summary>Trades (price updates for forex) per second per symbol, a Poisson stream. Default 5.</summary>
    public double TradesPerSymbolPerSecond { get; set; } = 5;

    /// <summary>Trades at most in one frame (Finnhub batches several, of several symbols). Default 9.</summary>
    public int MaxTradesPerFrame { get; set; } = 9;

    /// <summary>Symbols one connection may subscribe before <c>Subscribing to too many symbols</c>. Default 50, the free plan's.</summary>
    public int MaxSymbols { get; set; } = 50;

    /// <summary>REST calls per minute per token before 429. Default 60, the free plan's (30 a second on top, always).</summary>
    public int CallsPerMinute { get; set; } = 60;

    /// <summary>A <c>{"type":"ping"}</c> every this long on every socket, idle or not. Default 60 s, as Finnhub.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A second socket for the same token closes both (as users saw); false closes only the older one. Default false.</summary>
    public bool SecondConnectionDropsBoth { get; set; }

    /// <summary>The candle endpoints answer (a premium plan); otherwise HTTP 403 as for a free key. Default false.</summary>
    public bool PremiumCandles { get; set; }

    public int Seed { get; set; } = 42;

    /// <summary>Faults on from the start: the shared ones and <c>duptrades[=N]</c>, <c>toomanysymbols[=N]</c>.</summary>
    public string? Faults { get; set; }
}
