namespace MarketFeed.Server;

/// <summary>Gateway settings (configuration section <c>Server</c>). Safe by default: loopback only, no CORS.</summary>
public sealed class ServerOptions
{
    /// <summary>Where to listen. Default <c>http://127.0.0.1:5080</c>. Any non-loopback address requires <see cref="ApiToken"/>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Bearer token required on every HTTP request and WebSocket upgrade (header <c>Authorization: Bearer …</c> or
    /// query <c>access_token</c>) when set. From environment or a user file only; never logged or returned. Default none.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>Concurrent streaming clients (WebSocket + SSE). Default 2,000.</summary>
    public int MaxClients { get; set; } = 2_000;

    /// <summary>Symbols one streaming client may hold. Default 200.</summary>
    public int MaxSymbolsPerClient { get; set; } = 200;

    /// <summary>Largest client message; larger closes the socket with a policy violation. Default 16 KiB.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Candle events a client may have pending before it is disconnected as too slow (ticks are conflated to the
    /// latest per instrument and never pile up). Default 10,000.
    /// </summary>
    public int MaxPendingCandleEvents { get; set; } = 10_000;

    /// <summary>A send that takes longer than this disconnects the client as too slow. Default 10 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kernel send buffer per connection. Kept small on purpose: a client that falls behind should be conflated in the
    /// gateway (latest tick per instrument) rather than fed seconds-old ticks out of a multi-megabyte socket buffer.
    /// 0 leaves the operating system's default (autotuned). Default 32 KiB.
    /// </summary>
    public int SocketSendBufferBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Web origins (<c>scheme://host[:port]</c>, <c>*</c> for any) whose pages may use the gateway from a browser: CORS,
    /// and opening streams, which otherwise only the gateway's own pages and non-browser clients may. Default none.
    /// </summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// Names the gateway answers to (the request's <c>Host</c>, any port) besides the loopback ones: <c>localhost</c>,
    /// <c>127.0.0.1</c> (all of 127.0.0.0/8) and <c>[::1]</c>. Against DNS rebinding, a request for any other name is
    /// refused with 400, always when no <see cref="ApiToken"/> is set and, with a token, only once names are listed here.
    /// <c>*.example.lan</c> admits subdomains; <c>*</c> turns the check off. Default none.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Symbols subscribed at start (shown on the dashboard). Default a few simulator instruments when on <c>sim</c>.</summary>
    public string[] Symbols { get; set; } = [];
}
