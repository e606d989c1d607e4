using System.Globalization;
using System.Net;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub's REST API: symbol lists, <c>/quote</c> for failover polling and, where the plan has them, candles. Every
/// call goes through one <see cref="RateGate"/> at <see cref="FinnhubOptions.CallsPerMinute"/> (60 a minute on the free
/// plan, so one a second), polling included: a round asks for as many quotes as fit its interval, in turn over the
/// wanted instruments. The token travels in the <c>X-Finnhub-Token</c> header, never in a URL. A 429 pauses every
/// caller until <c>X-RateLimit-Reset</c> (else the next minute) and is retried; a 401 is an
/// <see cref="AuthenticationRejectedException"/>; a 403 is "not in your plan" (<see cref="FinnhubPlanException"/>).
/// </summary>
internal sealed class FinnhubRestClient : IQuotePoller, IDisposable
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan s_maxPause = TimeSpan.FromMinutes(1);

    private readonly Func<FinnhubOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _gate;
    private readonly TimeProvider _time;
    private readonly Lock _pauseGate = new();
    private DateTimeOffset _pausedUntil;
    private int _nextPolled;
    private long _rateLimited;
    private long _calls;

    public FinnhubRestClient(Func<FinnhubOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        CallsPerMinute = options().CallsPerMinute;
        _gate = new RateGate(CallsPerMinute / 60.0, time);
    }

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Resolves registry ids to Finnhub symbols for polling.</summary>
    public Func<InstrumentId, string?>? Symbols { get; set; }

    public int CallsPerMinute { get; }

    /// <summary>Responses that were HTTP 429.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Requests sent.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public TimeSpan Interval => _options().PollInterval;

    /// <summary>Quotes one polling round may ask for: the calls its interval allows, at least one.</summary>
    public int QuotesPerRound => Math.Max(1, (int)(CallsPerMinute * Interval.TotalMinutes));

    /// <summary>Finnhub's candle resolution for <paramref name="interval"/>; other lengths have no history there.</summary>
    public static string? Resolution(CandleInterval interval) => (long)interval.Length.TotalSeconds switch
    {
        60 => "1",
        300 => "5",
        900 => "15",
        1800 => "30",
        3600 => "60",
        86400 => "D",
        _ => null,
    };

    public Task<byte[]> GetSymbolsAsync(FinnhubSymbolKind kind, string exchange, CancellationToken cancellationToken) =>
        GetAsync($"{FinnhubSymbolList.Path(kind)}?exchange={Uri.EscapeDataString(exchange)}", cancellationToken);

    /// <summary>One quote; null when Finnhub does not know the symbol.</summary>
    public async Task<(long Last, long Open, long High, long Low, long PreviousClose, DateTime Time)?> GetQuoteAsync(string symbol, CancellationToken cancellationToken) =>
        FinnhubRestJson.ReadQuote(await GetAsync("/quote?symbol=" + Uri.EscapeDataString(symbol), cancellationToken).ConfigureAwait(false));

    /// <summary>Closed bars of <paramref name="symbol"/> from <paramref name="fromUtc"/> to <paramref name="toUtc"/>, oldest first (premium on Finnhub's plans).</summary>
    /// <exception cref="FinnhubPlanException">The key's plan has no candles (HTTP 403).</exception>
    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(FinnhubSymbolKind kind, string symbol, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        if (Resolution(interval) is not { } resolution)
        {
            return [];
        }

        string path = kind switch { FinnhubSymbolKind.Crypto => "/crypto/candle", FinnhubSymbolKind.Forex => "/forex/candle", _ => "/stock/candle" };
        long from = new DateTimeOffset(fromUtc).ToUnixTimeSeconds();
        long to = new DateTimeOffset(toUtc).ToUnixTimeSeconds();
        string query = string.Create(CultureInfo.InvariantCulture, $"{path}?symbol={Uri.EscapeDataString(symbol)}&resolution={resolution}&from={from}&to={to}");
        return FinnhubRestJson.ReadCandles(await GetAsync(query, cancellationToken).ConfigureAwait(false), interval.Length, path);
    }

    /// <summary>
    /// Quotes for the next instruments in turn — as many as one round's share of the call budget — as ticks with
    /// <see cref="TickSource.Poll"/>: the last price (no quantity: not a trade for candle volume) and the day's open,
    /// high, low and previous close.
    /// </summary>
    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var known = new List<(InstrumentId Id, string Symbol)>(instruments.Count);
        foreach (InstrumentId id in instruments)
        {
            if (Symbols?.Invoke(id) is { } symbol)
            {
                known.Add((id, symbol));
            }
        }

        var ticks = new List<Tick>();
        int count = Math.Min(known.Count, QuotesPerRound);
        for (int i = 0; i < count; i++)
        {
            (InstrumentId id, string symbol) = known[(int)((uint)Interlocked.Increment(ref _nextPolled) % (uint)known.Count)];
            if (await GetQuoteAsync(symbol, cancellationToken).ConfigureAwait(false) is not { } quote)
            {
                continue;
            }

            var tick = new Tick(id)
            {
                Updates = TickFields.Trade | TickFields.DayStats,
                Ltp = Price.FromRaw(quote.Last),
                ExchangeTime = quote.Time,
                ReceiveTime = _time.GetUtcNow().UtcDateTime,
                Source = TickSource.Poll,
                Mode = FeedMode.Quote,
            };
            if (quote.Open > 0 && quote.High > 0 && quote.Low > 0)
            {
                (tick.Open, tick.High, tick.Low) = (Price.FromRaw(quote.Open), Price.FromRaw(quote.High), Price.FromRaw(quote.Low));
            }

            if (quote.PreviousClose > 0)
            {
                tick.Close = Price.FromRaw(quote.PreviousClose);
            }

            ticks.Add(tick);
        }

        return ticks;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One GET through the rate gate, the token in a header; 429s waited out and retried, other failures thrown without the token.</summary>
    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        FinnhubOptions options = _options();
        string token = options.RequireToken();
        string path = pathAndQuery.Split('?')[0];
        string baseUrl = RestBase(options);
        for (int attempt = 1; ; attempt++)
        {
            await WaitOutPauseAsync(cancellationToken).ConfigureAwait(false);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + pathAndQuery);
            request.Headers.Add("X-Finnhub-Token", token);
            request.Headers.Accept.ParseAdd("application/json");
            Interlocked.Increment(ref _calls);
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            string detail = FinnhubRestJson.ErrorText(body).Replace(token, "***", StringComparison.Ordinal);
            switch (response.StatusCode)
            {
                case HttpStatusCode.TooManyRequests when detail.Contains("sign up", StringComparison.OrdinalIgnoreCase):
                    // What Finnhub answers when it sees no token at all: an authentication problem, not a rate limit.
                    throw new AuthenticationRejectedException($"Finnhub rejected the credentials (HTTP 429 \"{detail}\"): check Finnhub:Token");
                case HttpStatusCode.TooManyRequests:
                    Interlocked.Increment(ref _rateLimited);
                    TimeSpan pause = Pause(response);
                    Logger.RestRateLimited(path, pause);
                    if (attempt < MaxAttempts)
                    {
                        continue;
                    }

                    throw new HttpRequestException($"Finnhub REST {path}: HTTP 429 (API limit reached) {MaxAttempts} times in a row; giving up this request", null, HttpStatusCode.TooManyRequests);
                case HttpStatusCode.Unauthorized:
                    throw new AuthenticationRejectedException($"Finnhub rejected the credentials (HTTP 401{(detail.Length > 0 ? " \"" + detail + "\"" : "")}): check Finnhub:Token");
                case HttpStatusCode.Forbidden:
                    throw new FinnhubPlanException(path, detail);
                default:
                    throw new HttpRequestException($"Finnhub REST {path} failed: HTTP {(int)response.StatusCode}{(detail.Length > 0 ? " " + detail : "")}", null, response.StatusCode);
            }
        }
    }

    /// <summary>How long nobody calls after a 429: until <c>X-RateLimit-Reset</c> (Unix seconds), else <c>Retry-After</c>, else the next minute; at most a minute.</summary>
    private TimeSpan Pause(HttpResponseMessage response)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan pause = TimeSpan.FromSeconds(60 - (now.ToUnixTimeSeconds() % 60));
        if (response.Headers.TryGetValues("X-RateLimit-Reset", out IEnumerable<string>? reset)
            && long.TryParse(reset.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long resetSeconds))
        {
            pause = DateTimeOffset.FromUnixTimeSeconds(resetSeconds) - now;
        }
        else if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            pause = delta;
        }

        pause = pause < TimeSpan.Zero ? TimeSpan.Zero : pause > s_maxPause ? s_maxPause : pause;
        lock (_pauseGate)
        {
            DateTimeOffset until = now + pause;
            _pausedUntil = until > _pausedUntil ? until : _pausedUntil;
        }

        return pause;
    }

    private async Task WaitOutPauseAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_pauseGate)
        {
            wait = _pausedUntil - _time.GetUtcNow();
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RestBase(FinnhubOptions options)
    {
        string url = options.RestUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? rest) && (rest.Scheme == Uri.UriSchemeHttp || rest.Scheme == Uri.UriSchemeHttps)
            ? url.TrimEnd('/')
            : throw new FeedConfigurationException($"Finnhub:RestUrl '{url}' is not an http:// or https:// URL");
    }
}
