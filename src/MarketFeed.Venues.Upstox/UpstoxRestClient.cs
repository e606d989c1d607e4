using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox's REST API: the feed authorize call (a one-time socket URL per connection), the instrument file, v3 LTP
/// quotes for failover polling, v3 historical and intraday candles. Each API has its own <see cref="RateGate"/> (see
/// <see cref="UpstoxOptions.RequestsPerSecond"/>); a 429 anyway backs off and retries. The token is read per request
/// and never logged; a 401/403 becomes an <see cref="AuthenticationRejectedException"/> saying what to refresh.
/// </summary>
public sealed class UpstoxRestClient : IQuotePoller, IDisposable
{
    private const int QuoteBatch = 500;
    private readonly Func<UpstoxOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _authorizeGate;
    private readonly RateGate _quoteGate;
    private readonly RateGate _historicalGate;
    private readonly TimeProvider _time;
    private long _rateLimited;

    public UpstoxRestClient(Func<UpstoxOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(30);
        double rate = options().RequestsPerSecond;
        _authorizeGate = new RateGate(rate, time);
        _quoteGate = new RateGate(rate, time);
        _historicalGate = new RateGate(rate, time);
    }

    /// <summary>Registry id → instrument (for the instrument key of each polled id).</summary>
    public Func<InstrumentId, Instrument?>? Instruments { get; set; }

    /// <summary>Responses that were HTTP 429 (each was retried after a back-off).</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>The quote gate already paces every request.</summary>
    public TimeSpan Interval => TimeSpan.Zero;

    /// <summary><c>GET /v3/feed/market-data-feed/authorize</c>: the single-use <c>wss://</c> URL for the next connection.</summary>
    public async Task<Uri> AuthorizeFeedAsync(CancellationToken cancellationToken)
    {
        using JsonDocument json = await GetJsonAsync(_authorizeGate, "/v3/feed/market-data-feed/authorize", cancellationToken).ConfigureAwait(false);
        if (json.RootElement.TryGetProperty("data", out JsonElement data)
            && (data.TryGetProperty("authorized_redirect_uri", out JsonElement uri) || data.TryGetProperty("authorizedRedirectUri", out uri))
            && uri.ValueKind == JsonValueKind.String
            && Uri.TryCreate(uri.GetString(), UriKind.Absolute, out Uri? socket) && socket.Scheme is "ws" or "wss")
        {
            return socket;
        }

        throw new HttpRequestException("Upstox authorize answered without a ws:// or wss:// authorized_redirect_uri");
    }

    /// <summary>Downloads the instrument file (gzip JSON) to <paramref name="path"/>.</summary>
    public async Task DownloadInstrumentsAsync(string path, CancellationToken cancellationToken)
    {
        UpstoxOptions options = _options();
        using HttpResponseMessage response = await _http.GetAsync(options.InstrumentsUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Upstox instrument file {options.InstrumentsUrl}: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        string partial = path + ".partial";
        await using (FileStream file = File.Create(partial))
        {
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary><c>GET /v3/market-quote/ltp</c> in batches of 500 keys: LTP, last quantity, day volume and previous close.</summary>
    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var ticks = new List<Tick>(instruments.Count);
        foreach (InstrumentId[] batch in instruments.Chunk(QuoteBatch))
        {
            Dictionary<string, Instrument> byKey = batch.Select(id => Instruments?.Invoke(id)).OfType<Instrument>()
                .ToDictionary(i => i.NativeKey, StringComparer.Ordinal);
            if (byKey.Count == 0)
            {
                continue;
            }

            string keys = string.Join(',', byKey.Keys.Select(Uri.EscapeDataString));
            using JsonDocument json = await GetJsonAsync(_quoteGate, "/v3/market-quote/ltp?instrument_key=" + keys, cancellationToken).ConfigureAwait(false);
            DateTime received = _time.GetUtcNow().UtcDateTime;
            if (!json.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // The data map is keyed "NSE_EQ:RELIANCE"; the feed's pipe key is in instrument_token.
            foreach (JsonProperty quote in data.EnumerateObject())
            {
                if (quote.Value.TryGetProperty("instrument_token", out JsonElement token) && token.ValueKind == JsonValueKind.String
                    && byKey.TryGetValue(token.GetString()!, out Instrument? instrument))
                {
                    ticks.Add(QuoteToTick(quote.Value, instrument, received));
                }
            }
        }

        return ticks;
    }

    /// <summary>
    /// <c>GET /v3/historical-candle/{key}/{unit}/{interval}/{to}/{from}</c> (dates in IST, both inclusive), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetHistoricalAsync(string instrumentKey, CandleInterval interval, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (UpstoxCandleUnit.For(interval) is not { } unit)
        {
            return [];
        }

        string path = $"/v3/historical-candle/{Uri.EscapeDataString(instrumentKey)}/{unit.Unit}/{unit.Interval}/{Date(to)}/{Date(from)}";
        return await CandlesAsync(path, interval, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v3/historical-candle/intraday/{key}/{unit}/{interval}</c>: today's candles so far, oldest first.</summary>
    public async Task<IReadOnlyList<Candle>> GetIntradayAsync(string instrumentKey, CandleInterval interval, CancellationToken cancellationToken)
    {
        if (UpstoxCandleUnit.For(interval) is not { } unit)
        {
            return [];
        }

        string path = $"/v3/historical-candle/intraday/{Uri.EscapeDataString(instrumentKey)}/{unit.Unit}/{unit.Interval}";
        return await CandlesAsync(path, interval, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The open interest at the close of the last trading day before <paramref name="today"/> (IST): the <c>oi</c> of the
    /// newest daily candle of the ten days before it. None when the contract has no such candle.
    /// </summary>
    public async Task<Quantity> GetPreviousDayOpenInterestAsync(string instrumentKey, DateOnly today, CancellationToken cancellationToken)
    {
        string path = $"/v3/historical-candle/{Uri.EscapeDataString(instrumentKey)}/days/1/{Date(today.AddDays(-1))}/{Date(today.AddDays(-10))}";
        using JsonDocument json = await GetJsonAsync(_historicalGate, path, cancellationToken).ConfigureAwait(false);
        Quantity oi = Quantity.None;
        DateTime newest = DateTime.MinValue;
        foreach (JsonElement row in json.RootElement.GetProperty("data").GetProperty("candles").EnumerateArray())
        {
            DateTime start = DateTimeOffset.Parse(row[0].GetString()!, CultureInfo.InvariantCulture).UtcDateTime;
            if (row.GetArrayLength() > 6 && start > newest)
            {
                newest = start;
                oi = Quantity.FromDecimal(row[6].GetDecimal());
            }
        }

        return oi;
    }

    public void Dispose() => _http.Dispose();

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<Candle>> CandlesAsync(string path, CandleInterval interval, CancellationToken cancellationToken)
    {
        using JsonDocument json = await GetJsonAsync(_historicalGate, path, cancellationToken).ConfigureAwait(false);
        var candles = new List<Candle>();
        foreach (JsonElement row in json.RootElement.GetProperty("data").GetProperty("candles").EnumerateArray())
        {
            // [timestamp (+05:30, candle start), open, high, low, close, volume, oi], newest first.
            DateTime start = DateTimeOffset.Parse(row[0].GetString()!, CultureInfo.InvariantCulture).UtcDateTime;
            candles.Add(new Candle(
                start, start + interval.Length,
                Price.FromDecimal(row[1].GetDecimal()), Price.FromDecimal(row[2].GetDecimal()), Price.FromDecimal(row[3].GetDecimal()), Price.FromDecimal(row[4].GetDecimal()),
                Quantity.FromDecimal(row[5].GetDecimal()), 0, CandleFlags.Closed | CandleFlags.History));
        }

        candles.Reverse();
        return candles;
    }

    private async Task<JsonDocument> GetJsonAsync(RateGate gate, string pathAndQuery, CancellationToken cancellationToken)
    {
        UpstoxOptions options = _options();
        string token = options.RequireToken();
        for (int attempt = 1; ; attempt++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, options.RestUrl.TrimEnd('/') + pathAndQuery);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 4)
            {
                Interlocked.Increment(ref _rateLimited);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string message = ErrorMessage(body, response.ReasonPhrase);
                string what = pathAndQuery.Split('?')[0];
                throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? new AuthenticationRejectedException($"Upstox rejected the credentials (HTTP {(int)response.StatusCode} {message}): log in again and refresh Upstox:AccessToken")
                    : new HttpRequestException($"Upstox REST {what} failed: HTTP {(int)response.StatusCode} {message}", null, response.StatusCode);
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                throw new HttpRequestException($"Upstox REST {pathAndQuery.Split('?')[0]} answered with text that is not JSON", e);
            }
        }
    }

    /// <summary><c>{"status":"error","errors":[{"error_code":"UDAPI…","message":"…"}]}</c> → "UDAPI… message".</summary>
    private static string ErrorMessage(string body, string? fallback)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                JsonElement first = errors[0];
                string code = first.TryGetProperty("error_code", out JsonElement c) ? c.GetString() ?? "" : "";
                string message = first.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : "";
                return (code + " " + message).Trim();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }

        return fallback ?? "";
    }

    private static Tick QuoteToTick(JsonElement q, Instrument instrument, DateTime receivedUtc)
    {
        var tick = new Tick(instrument.Id)
        {
            ReceiveTime = receivedUtc,
            Source = TickSource.Poll,
            Mode = FeedMode.Ltp,
            Ltp = PriceOf(q, "last_price"),
            Close = PriceOf(q, "cp"),
        };
        if (instrument.IsTradable)
        {
            tick.Ltq = QuantityOf(q, "ltq");
            tick.Volume = QuantityOf(q, "volume");
            tick.Flags = TickFlags.CumulativeVolume;
        }

        return tick;
    }

    private static Price PriceOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.GetDecimal() > 0 ? Price.FromDecimal(v.GetDecimal()) : Price.None;

    private static Quantity QuantityOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.GetDecimal() >= 0 ? Quantity.FromDecimal(v.GetDecimal()) : Quantity.None;
}
