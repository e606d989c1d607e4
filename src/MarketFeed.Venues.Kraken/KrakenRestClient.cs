using System.Globalization;
using System.Net;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken's public REST API: asset pairs (the instrument master), OHLC for candle history, and tickers for failover
/// polling. Every call passes one shared <see cref="RateGate"/> (<see cref="KrakenOptions.RestRequestsPerSecond"/>,
/// about one a second by default: Kraken throttles public calls per IP without publishing the rate). Kraken reports
/// errors in the body's <c>error</c> list, mostly with HTTP 200; a rate-limit error (or a 429) pauses every caller
/// and is retried a few times, anything else is thrown.
/// </summary>
internal sealed class KrakenRestClient : IQuotePoller, IDisposable
{
    /// <summary>Kraken returns at most the 720 most recent bars of an interval, whatever <c>since</c> says.</summary>
    public const int MaxBars = 720;
    private const int PollBatch = 50;
    private const int MaxAttempts = 3;
    private static readonly TimeSpan s_rateLimitPause = TimeSpan.FromSeconds(5);
    private static readonly int[] s_intervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];

    private readonly Func<KrakenOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _pace;
    private readonly TimeProvider _time;
    private long _rateLimited;
    private DateTimeOffset _pausedUntil;

    public KrakenRestClient(Func<KrakenOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        _pace = new RateGate(options().RestRequestsPerSecond, time);
    }

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Resolves registry ids to REST pair names (<c>XXBTZUSD</c>) for polling.</summary>
    public Func<InstrumentId, string?>? Pairs { get; set; }

    /// <summary>Calls Kraken answered with a rate-limit error or HTTP 429.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Calls made (each passed the rate gate).</summary>
    public long Calls { get; private set; }

    public TimeSpan Interval => _options().PollInterval;

    /// <summary>Kraken's OHLC interval in minutes for <paramref name="interval"/>; null where Kraken has none.</summary>
    public static int? IntervalMinutes(CandleInterval interval)
    {
        foreach (int minutes in s_intervals)
        {
            if (interval.Length == TimeSpan.FromMinutes(minutes))
            {
                return minutes;
            }
        }

        return null;
    }

    public Task<byte[]> GetAssetPairsAsync(CancellationToken cancellationToken) => GetAsync("/0/public/AssetPairs", cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> (at most 720, Kraken's cap) closed bars ending at or before
    /// <paramref name="endUtc"/>, oldest first; the bar still forming is left out.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetOhlcAsync(string pair, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (IntervalMinutes(interval) is not { } minutes || count <= 0)
        {
            return [];
        }

        long step = minutes * 60L;
        long endSeconds = (endUtc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        long since = Math.Max(0, endSeconds - ((Math.Min(count, MaxBars) + 1) * step));
        string query = string.Create(CultureInfo.InvariantCulture, $"/0/public/OHLC?pair={Uri.EscapeDataString(pair)}&interval={minutes}&since={since}");
        List<Candle> bars = KrakenRestJson.ReadOhlc(await GetAsync(query, cancellationToken).ConfigureAwait(false), pair, interval.Length);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        var closed = bars.Where(c => c.End <= endUtc && c.End <= now).ToList();
        return closed.Count > count ? closed[^count..] : closed;
    }

    /// <summary>Best bid and offer and the last trade price per pair (one call per 50 pairs), as partial ticks with <see cref="TickSource.Poll"/>.</summary>
    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var known = new List<(InstrumentId Id, string Pair)>(instruments.Count);
        foreach (InstrumentId id in instruments)
        {
            if (Pairs?.Invoke(id) is { } pair)
            {
                known.Add((id, pair));
            }
        }

        var ticks = new List<Tick>(known.Count);
        foreach ((InstrumentId Id, string Pair)[] batch in known.Chunk(PollBatch))
        {
            string pairs = string.Join(',', batch.Select(b => Uri.EscapeDataString(b.Pair)));
            var tickers = KrakenRestJson.ReadTickers(await GetAsync("/0/public/Ticker?pair=" + pairs, cancellationToken).ConfigureAwait(false));
            DateTime received = _time.GetUtcNow().UtcDateTime;
            foreach ((InstrumentId id, string pair) in batch)
            {
                if (!tickers.TryGetValue(pair, out var t))
                {
                    continue;
                }

                // A last price without its trade: no quantity, and not a trade for candle volume.
                var tick = new Tick(id) { Updates = TickFields.Trade | TickFields.TopOfBook, Source = TickSource.Poll, Mode = FeedMode.Quote, ReceiveTime = received, Ltp = t.Last };
                if (t.Bid.Raw != 0)
                {
                    (tick.Bid, tick.BidQty) = (t.Bid, t.BidQty);
                }

                if (t.Ask.Raw != 0)
                {
                    (tick.Ask, tick.AskQty) = (t.Ask, t.AskQty);
                }

                ticks.Add(tick);
            }
        }

        return ticks;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One GET through the rate gate; rate-limit answers waited out and retried, other failures thrown.</summary>
    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        string path = pathAndQuery.Split('?')[0];
        string baseUrl = RestBase();
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan paused = _pausedUntil - _time.GetUtcNow();
            if (paused > TimeSpan.Zero)
            {
                await Task.Delay(paused, _time, cancellationToken).ConfigureAwait(false);
            }

            await _pace.WaitAsync(cancellationToken).ConfigureAwait(false);
            Calls++;
            using HttpResponseMessage response = await _http.GetAsync(baseUrl + pathAndQuery, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            string? limited = (int)response.StatusCode == 429 ? "HTTP 429" : null;
            if (limited is null && response.IsSuccessStatusCode)
            {
                string errors;
                try
                {
                    using var document = KrakenRestJson.Parse(body, path);
                    errors = KrakenRestJson.Errors(document);
                }
                catch (FormatException)
                {
                    return body;
                }

                if (errors.Length == 0)
                {
                    return body;
                }

                var error = new KrakenRestException(path, errors);
                if (!error.IsRateLimit)
                {
                    throw error;
                }

                limited = errors;
            }

            if (limited is not null)
            {
                Interlocked.Increment(ref _rateLimited);
                _pausedUntil = _time.GetUtcNow() + s_rateLimitPause;
                Logger.RestRateLimited(path, limited, s_rateLimitPause);
                if (attempt < MaxAttempts)
                {
                    continue;
                }

                throw new HttpRequestException($"Kraken REST {path}: rate limited ({limited}) {MaxAttempts} times in a row; giving up this request", null, HttpStatusCode.TooManyRequests);
            }

            throw new HttpRequestException($"Kraken REST {path} failed: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }
    }

    private string RestBase()
    {
        string url = _options().RestUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? rest) && (rest.Scheme == Uri.UriSchemeHttp || rest.Scheme == Uri.UriSchemeHttps)
            ? url.TrimEnd('/')
            : throw new FeedConfigurationException($"Kraken:RestUrl '{url}' is not an http:// or https:// URL");
    }
}
