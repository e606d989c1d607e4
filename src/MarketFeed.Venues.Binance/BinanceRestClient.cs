using System.Globalization;
using System.Net;
using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance's public REST API: exchange information, depth snapshots, klines, and book tickers with last prices for
/// failover polling. Every request first reserves its documented weight with <see cref="Weight"/> (a per-minute
/// budget well under Binance's 6000, kept in step with the <c>X-MBX-USED-WEIGHT-1M</c> header) and is paced by a
/// <see cref="RateGate"/>. A 429 pauses every caller for its <c>Retry-After</c> and is retried; a 418 means this IP is
/// banned: no call is made until the ban ends (<see cref="BinanceBanException"/>). A 403 is Binance's web application
/// firewall, reported as such — public market data needs no credentials, so it is never an authentication failure.
/// </summary>
internal sealed class BinanceRestClient : IQuotePoller, IDisposable
{
    public const int ExchangeInfoWeight = 20;
    public const int KlinesWeight = 2;
    public const int TickersWeight = 4;
    public const int KlinesPerRequest = 1000;
    private const int PollBatch = 100;
    private const int MaxAttempts = 4;
    private const int MaxHistoryBars = 10_000;
    private static readonly TimeSpan s_defaultPause = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_defaultBan = TimeSpan.FromMinutes(2);

    private readonly Func<BinanceOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _pace;
    private readonly TimeProvider _time;
    private ILogger _logger = NullLogger.Instance;
    private long _rateLimited;

    public BinanceRestClient(Func<BinanceOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        BinanceOptions current = options();
        _pace = new RateGate(current.RestRequestsPerSecond, time);
        Weight = new BinanceRequestWeight(current.RequestWeightPerMinute, time);
    }

    public BinanceRequestWeight Weight { get; }

    public ILogger Logger
    {
        get => _logger;
        set => _logger = Weight.Logger = value;
    }

    /// <summary>Resolves registry ids to Binance symbols (<c>BTCUSDT</c>) for polling.</summary>
    public Func<InstrumentId, string?>? Symbols { get; set; }

    /// <summary>Responses that were HTTP 429.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public TimeSpan Interval => _options().PollInterval;

    /// <summary>The weight Binance charges for a depth snapshot of <paramref name="limit"/> levels.</summary>
    public static int DepthWeight(int limit) => limit switch
    {
        <= 100 => 5,
        <= 500 => 25,
        <= 1000 => 50,
        _ => 250,
    };

    /// <summary>Binance's kline interval names; other lengths have no history there.</summary>
    public static string? IntervalName(CandleInterval interval) => (long)interval.Length.TotalSeconds switch
    {
        1 => "1s",
        60 => "1m",
        180 => "3m",
        300 => "5m",
        900 => "15m",
        1800 => "30m",
        3600 => "1h",
        7200 => "2h",
        14400 => "4h",
        21600 => "6h",
        28800 => "8h",
        43200 => "12h",
        86400 => "1d",
        _ => null,
    };

    /// <summary>Trading symbols only, without permission sets (which are most of the document's size).</summary>
    public Task<byte[]> GetExchangeInfoAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/v3/exchangeInfo?symbolStatus=TRADING&showPermissionSets=false", ExchangeInfoWeight, cancellationToken);

    /// <summary>A snapshot of the book of <paramref name="symbol"/>, ready for the hub: its <c>lastUpdateId</c> is both update ids.</summary>
    public async Task<BookUpdate> GetDepthSnapshotAsync(InstrumentId instrument, string symbol, int limit, CancellationToken cancellationToken)
    {
        byte[] body = await GetAsync($"/api/v3/depth?symbol={Uri.EscapeDataString(symbol)}&limit={limit}", DepthWeight(limit), cancellationToken).ConfigureAwait(false);
        BookUpdate book = BookUpdate.Rent();
        try
        {
            long lastUpdateId = BinanceRestJson.ReadDepth(body, book);
            book.Instrument = instrument;
            book.IsSnapshot = true;
            (book.FirstUpdateId, book.LastUpdateId) = (lastUpdateId, lastUpdateId);
            book.ReceiveTime = _time.GetUtcNow().UtcDateTime;

            // Part of syncing the streamed book (Binance's documented procedure), not failover polling.
            book.Source = TickSource.Stream;
            book.Continuity = UpdateIdContinuity.Instance;
            return book;
        }
        catch
        {
            BookUpdate.Return(book);
            throw;
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> closed bars ending at or before <paramref name="endUtc"/>, oldest first, on Binance's
    /// UTC grid: pages forward from the first wanted open time, 1000 bars (weight 2) a request, until a page comes back short.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetKlinesAsync(string symbol, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (IntervalName(interval) is not { } name || count <= 0)
        {
            return [];
        }

        long step = (long)interval.Length.TotalMilliseconds;
        long endMs = (endUtc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        long lastOpen = Math.DivRem(endMs - step, step, out long over) * step - (over < 0 ? step : 0);
        long start = lastOpen - ((long)(Math.Min(count, MaxHistoryBars) - 1) * step);
        var candles = new List<Candle>(Math.Min(count, MaxHistoryBars));
        while (start <= lastOpen)
        {
            int limit = (int)Math.Min(KlinesPerRequest, ((lastOpen - start) / step) + 1);
            string query = string.Create(CultureInfo.InvariantCulture, $"/api/v3/klines?symbol={Uri.EscapeDataString(symbol)}&interval={name}&startTime={start}&endTime={lastOpen}&limit={limit}");
            List<Candle> page = BinanceRestJson.ReadKlines(await GetAsync(query, KlinesWeight, cancellationToken).ConfigureAwait(false), interval.Length);
            candles.AddRange(page.Where(c => c.Start >= BinanceDecoder.Time(start) && c.End <= endUtc));
            if (page.Count < limit)
            {
                break;
            }

            start = ((page[^1].Start.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond) + step;
        }

        return candles.Count > count ? candles[^count..] : candles;
    }

    /// <summary>Book tickers and last prices (weight 4 + 4 per 100 instruments) as partial ticks with <see cref="TickSource.Poll"/>.</summary>
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

        var ticks = new List<Tick>(known.Count);
        foreach ((InstrumentId Id, string Symbol)[] batch in known.Chunk(PollBatch))
        {
            string symbols = Uri.EscapeDataString(JsonSerializer.Serialize(batch.Select(b => b.Symbol).ToArray()));
            var books = BinanceRestJson.ReadBookTickers(await GetAsync("/api/v3/ticker/bookTicker?symbols=" + symbols, TickersWeight, cancellationToken).ConfigureAwait(false));
            var prices = BinanceRestJson.ReadPrices(await GetAsync("/api/v3/ticker/price?symbols=" + symbols, TickersWeight, cancellationToken).ConfigureAwait(false));
            DateTime received = _time.GetUtcNow().UtcDateTime;
            foreach ((InstrumentId id, string symbol) in batch)
            {
                bool hasBook = books.TryGetValue(symbol, out (long Bid, long BidQty, long Ask, long AskQty) book);
                bool hasPrice = prices.TryGetValue(symbol, out long price);
                if (!hasBook && !hasPrice)
                {
                    continue;
                }

                var tick = new Tick(id) { Updates = TickFields.None, Source = TickSource.Poll, Mode = FeedMode.Quote, ReceiveTime = received };
                if (hasPrice)
                {
                    // A last price without its trade: no quantity, and not a trade for candle volume.
                    tick.Updates |= TickFields.Trade;
                    tick.Ltp = Price.FromRaw(price);
                }

                if (hasBook)
                {
                    tick.Updates |= TickFields.TopOfBook;
                    if (book.Bid != 0)
                    {
                        (tick.Bid, tick.BidQty) = (Price.FromRaw(book.Bid), Quantity.FromRaw(book.BidQty));
                    }

                    if (book.Ask != 0)
                    {
                        (tick.Ask, tick.AskQty) = (Price.FromRaw(book.Ask), Quantity.FromRaw(book.AskQty));
                    }
                }

                ticks.Add(tick);
            }
        }

        return ticks;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One GET within the weight budget and pace; 429s waited out and retried, 418 and other failures thrown.</summary>
    private async Task<byte[]> GetAsync(string pathAndQuery, int weight, CancellationToken cancellationToken)
    {
        string path = pathAndQuery.Split('?')[0];
        string baseUrl = RestBase();
        for (int attempt = 1; ; attempt++)
        {
            await Weight.AcquireAsync(weight, cancellationToken).ConfigureAwait(false);
            await _pace.WaitAsync(cancellationToken).ConfigureAwait(false);
            using HttpResponseMessage response = await _http.GetAsync(baseUrl + pathAndQuery, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out IEnumerable<string>? used)
                && int.TryParse(used.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int usedWeight))
            {
                Weight.Observe(usedWeight);
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            switch ((int)response.StatusCode)
            {
                case 429:
                    Interlocked.Increment(ref _rateLimited);
                    TimeSpan pause = RetryAfter(response) ?? s_defaultPause;
                    Weight.Pause(pause);
                    Logger.RestRateLimited(path, Weight.UsedThisMinute, pause);
                    if (attempt < MaxAttempts)
                    {
                        continue;
                    }

                    throw new HttpRequestException($"Binance REST {path}: HTTP 429 (too many requests) {MaxAttempts} times in a row; giving up this request", null, HttpStatusCode.TooManyRequests);
                case 418:
                    DateTimeOffset until = Weight.Ban(RetryAfter(response) ?? s_defaultBan);
                    Logger.RestBanned(path, until);
                    throw new BinanceBanException(until);
                case 403:
                    throw new HttpRequestException(
                        $"Binance REST {path}: HTTP 403, refused by Binance's web application firewall (a blocked region, proxy or request pattern); public market data needs no credentials, so this is not an authentication problem",
                        null, HttpStatusCode.Forbidden);
                default:
                    string detail = BinanceRestJson.ErrorText(body);
                    throw new HttpRequestException($"Binance REST {path} failed: HTTP {(int)response.StatusCode}{(detail.Length > 0 ? " " + detail : "")}", null, response.StatusCode);
            }
        }
    }

    private string RestBase()
    {
        string url = _options().RestUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? rest) && (rest.Scheme == Uri.UriSchemeHttp || rest.Scheme == Uri.UriSchemeHttps)
            ? url.TrimEnd('/')
            : throw new FeedConfigurationException($"Binance:RestUrl '{url}' is not an http:// or https:// URL");
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}
