using System.Globalization;
using System.Net;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase's public REST market endpoints (no credentials): products, candles, and each product's ticker (last trade,
/// best bid and ask) for failover polling. Every request is paced by one <see cref="RateGate"/> under Coinbase's
/// public limit; a 429 stops every caller for its <c>Retry-After</c> (1 s when it gives none) and is retried a few times.
/// </summary>
internal sealed class CoinbaseRestClient : IQuotePoller, IDisposable
{
    public const string Market = "/api/v3/brokerage/market";
    public const int CandlesPerRequest = 350;
    private const int MaxAttempts = 4;
    private const int MaxHistoryBars = 10_000;
    private static readonly TimeSpan s_defaultPause = TimeSpan.FromSeconds(1);

    private readonly Func<CoinbaseOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _pace;
    private readonly TimeProvider _time;
    private readonly Lock _pauseGate = new();
    private DateTimeOffset _pausedUntil;
    private long _rateLimited;

    public CoinbaseRestClient(Func<CoinbaseOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        _pace = new RateGate(options().RestRequestsPerSecond, time);
    }

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Resolves registry ids to product ids (<c>BTC-USD</c>) for polling.</summary>
    public Func<InstrumentId, string?>? Products { get; set; }

    /// <summary>Responses that were HTTP 429.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public TimeSpan Interval => _options().PollInterval;

    /// <summary>Coinbase's candle granularities; other lengths have no history there.</summary>
    public static string? Granularity(CandleInterval interval) => (long)interval.Length.TotalSeconds switch
    {
        60 => "ONE_MINUTE",
        300 => "FIVE_MINUTE",
        900 => "FIFTEEN_MINUTE",
        1800 => "THIRTY_MINUTE",
        3600 => "ONE_HOUR",
        7200 => "TWO_HOUR",
        21600 => "SIX_HOUR",
        86400 => "ONE_DAY",
        _ => null,
    };

    public Task<byte[]> GetProductsAsync(CancellationToken cancellationToken) => GetAsync(Market + "/products?product_type=SPOT", cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> closed bars ending at or before <paramref name="endUtc"/>, oldest first, on the UTC
    /// grid: pages backwards from the last wanted bar, 350 bars a request, until enough or a page comes back empty.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(string product, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (Granularity(interval) is not { } granularity || count <= 0)
        {
            return [];
        }

        long step = (long)interval.Length.TotalSeconds;
        long end = (endUtc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        long lastOpen = (Math.DivRem(end - step, step, out long over) * step) - (over < 0 ? step : 0);
        long first = lastOpen - ((long)(Math.Min(count, MaxHistoryBars) - 1) * step);
        var byStart = new SortedDictionary<DateTime, Candle>();
        for (long pageLast = lastOpen; pageLast >= first;)
        {
            long pageFirst = Math.Max(first, pageLast - ((CandlesPerRequest - 1) * step));
            string query = string.Create(CultureInfo.InvariantCulture,
                $"{Market}/products/{Uri.EscapeDataString(product)}/candles?start={pageFirst}&end={pageLast + step}&granularity={granularity}&limit={CandlesPerRequest}");
            List<Candle> page = CoinbaseRestJson.ReadCandles(await GetAsync(query, cancellationToken).ConfigureAwait(false), interval.Length);
            foreach (Candle candle in page)
            {
                long open = (candle.Start.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
                if (open >= first && open <= lastOpen && open % step == 0)
                {
                    byStart[candle.Start] = candle;
                }
            }

            if (page.Count == 0)
            {
                break;
            }

            pageLast = pageFirst - step;
        }

        List<Candle> candles = [.. byStart.Values];
        return candles.Count > count ? candles[^count..] : candles;
    }

    /// <summary>Each product's ticker (one request each, paced): the last trade's price and the best bid and ask, as partial ticks with <see cref="TickSource.Poll"/>.</summary>
    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var ticks = new List<Tick>(instruments.Count);
        foreach (InstrumentId id in instruments)
        {
            if (Products?.Invoke(id) is not { } product)
            {
                continue;
            }

            (long last, long bid, long ask) = CoinbaseRestJson.ReadTicker(
                await GetAsync($"{Market}/products/{Uri.EscapeDataString(product)}/ticker?limit=1", cancellationToken).ConfigureAwait(false));
            var tick = new Tick(id) { Updates = TickFields.TopOfBook, Source = TickSource.Poll, Mode = FeedMode.Quote, ReceiveTime = _time.GetUtcNow().UtcDateTime };
            if (last != 0)
            {
                // A last price without its trade's details: not a trade for candle volume.
                tick.Updates |= TickFields.Trade;
                tick.Ltp = Price.FromRaw(last);
            }

            if (bid != 0)
            {
                tick.Bid = Price.FromRaw(bid);
            }

            if (ask != 0)
            {
                tick.Ask = Price.FromRaw(ask);
            }

            ticks.Add(tick);
        }

        return ticks;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One GET within the pace; 429s waited out and retried, other failures thrown.</summary>
    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        string path = pathAndQuery.Split('?')[0];
        string baseUrl = RestBase();
        for (int attempt = 1; ; attempt++)
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

            await _pace.WaitAsync(cancellationToken).ConfigureAwait(false);
            using HttpResponseMessage response = await _http.GetAsync(baseUrl + pathAndQuery, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _rateLimited);
                TimeSpan pause = RetryAfter(response) ?? s_defaultPause;
                lock (_pauseGate)
                {
                    DateTimeOffset until = _time.GetUtcNow() + pause;
                    _pausedUntil = until > _pausedUntil ? until : _pausedUntil;
                }

                Logger.RestRateLimited(path, pause);
                if (attempt < MaxAttempts)
                {
                    continue;
                }

                throw new HttpRequestException($"Coinbase REST {path}: HTTP 429 (too many requests) {MaxAttempts} times in a row; giving up this request", null, HttpStatusCode.TooManyRequests);
            }

            string detail = CoinbaseRestJson.ErrorText(body);
            throw new HttpRequestException($"Coinbase REST {path} failed: HTTP {(int)response.StatusCode}{(detail.Length > 0 ? " " + detail : "")}", null, response.StatusCode);
        }
    }

    private string RestBase()
    {
        string url = _options().RestUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? rest) && (rest.Scheme == Uri.UriSchemeHttp || rest.Scheme == Uri.UriSchemeHttps)
            ? url.TrimEnd('/')
            : throw new FeedConfigurationException($"Coinbase:RestUrl '{url}' is not an http:// or https:// URL");
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}
