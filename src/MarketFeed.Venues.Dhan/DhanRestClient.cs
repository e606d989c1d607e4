using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's REST API: the market quote endpoint for failover polling (up to 1,000 instruments a request) and the
/// intraday and daily chart endpoints for candle history. Each class of endpoint waits on its own shared
/// <see cref="RateGate"/> (quote 1/s, data 5/s by default), so bursts never exceed Dhan's limits; a "too many
/// requests" answer anyway (HTTP 429, DH-904 or 805) backs off and retries. Credentials are read per request and
/// never logged.
/// </summary>
internal sealed class DhanRestClient : IQuotePoller, IDisposable
{
    public const int QuoteBatch = 1000;
    private const int Attempts = 4;
    private readonly Func<DhanOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _quoteGate;
    private readonly RateGate _dataGate;
    private readonly TimeProvider _time;
    private long _rateLimited;

    public DhanRestClient(Func<DhanOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        DhanOptions current = options();
        _quoteGate = new RateGate(current.QuoteRequestsPerSecond, time);
        _dataGate = new RateGate(current.DataRequestsPerSecond, time);
    }

    /// <summary>Resolves registry ids to instruments (for tick sizes) and Dhan securities.</summary>
    public Func<InstrumentId, (Instrument Instrument, byte Segment, int SecurityId)?>? Securities { get; set; }

    /// <summary>"Too many requests" answers (each backed off and retried).</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>The quote gate already paces every request, so the failover loop need not wait between rounds.</summary>
    public TimeSpan Interval => TimeSpan.Zero;

    /// <summary>The scrip master CSV (no credentials), streamed into <paramref name="destination"/>.</summary>
    public async Task DownloadScripMasterAsync(Stream destination, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(_options().ScripMasterUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Dhan scrip master download failed: HTTP {(int)response.StatusCode}; set Dhan:InstrumentsFile to a local copy", null, response.StatusCode);
        }

        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var ticks = new List<Tick>(instruments.Count);
        foreach (InstrumentId[] batch in instruments.Chunk(QuoteBatch))
        {
            var known = batch.Select(id => Securities?.Invoke(id)).OfType<(Instrument Instrument, byte Segment, int SecurityId)>().ToList();
            if (known.Count == 0)
            {
                continue;
            }

            Dictionary<string, int[]> body = known.GroupBy(k => DhanSegment.Name(k.Segment)!).ToDictionary(g => g.Key, g => g.Select(k => k.SecurityId).ToArray());
            using JsonDocument json = await PostAsync(_quoteGate, "/marketfeed/quote", JsonSerializer.Serialize(body), cancellationToken).ConfigureAwait(false);
            DateTime received = _time.GetUtcNow().UtcDateTime;
            if (!json.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new HttpRequestException("Dhan REST /marketfeed/quote answered without data");
            }

            foreach ((Instrument instrument, byte segment, int securityId) in known)
            {
                // Securities without data (expired, unknown) are absent: check presence, never assume.
                if (data.TryGetProperty(DhanSegment.Name(segment)!, out JsonElement bySegment) && bySegment.ValueKind == JsonValueKind.Object
                    && bySegment.TryGetProperty(securityId.ToString(CultureInfo.InvariantCulture), out JsonElement quote) && quote.ValueKind == JsonValueKind.Object)
                {
                    ticks.Add(DhanRestJson.QuoteToTick(quote, instrument, received));
                }
            }
        }

        return ticks;
    }

    /// <summary>One LTP request for <paramref name="segment"/>:<paramref name="securityId"/>: throws when Dhan rejects the credentials.</summary>
    public async Task CheckCredentialsAsync(byte segment, int securityId, CancellationToken cancellationToken)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, int[]> { [DhanSegment.Name(segment)!] = [securityId] });
        using JsonDocument json = await PostAsync(_quoteGate, "/marketfeed/ltp", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Candles from <c>/charts/intraday</c> (1, 5, 15, 25, 60 minutes; at most 90 days a call) or <c>/charts/historical</c>
    /// (days; <c>toDate</c> not included). Other intervals have no history at Dhan: empty.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetChartAsync(Instrument instrument, byte segment, int securityId, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        int minutes = (int)interval.Length.TotalMinutes;
        bool daily = interval.Length == TimeSpan.FromDays(1);
        if (!daily && (interval.Length.TotalSeconds % 60 != 0 || minutes is not (1 or 5 or 15 or 25 or 60)))
        {
            return [];
        }

        if (!daily && toUtc - fromUtc > TimeSpan.FromDays(90))
        {
            fromUtc = toUtc - TimeSpan.FromDays(90);
        }

        string format = daily ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss";
        string Ist(DateTime utc) => TimeZones.ToZone(utc, TimeZones.Kolkata).ToString(format, CultureInfo.InvariantCulture);
        var body = new Dictionary<string, object>
        {
            ["securityId"] = securityId.ToString(CultureInfo.InvariantCulture),
            ["exchangeSegment"] = DhanSegment.Name(segment)!,
            ["instrument"] = DhanRestJson.InstrumentType(instrument, segment),
            ["oi"] = false,
            ["fromDate"] = Ist(fromUtc),
            ["toDate"] = Ist(daily ? toUtc.AddDays(1) : toUtc),
        };
        if (!daily)
        {
            body["interval"] = minutes.ToString(CultureInfo.InvariantCulture);
        }

        using JsonDocument json = await PostAsync(_dataGate, daily ? "/charts/historical" : "/charts/intraday", JsonSerializer.Serialize(body), cancellationToken).ConfigureAwait(false);
        return DhanRestJson.Candles(json.RootElement, interval, instrument.TickSize);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> PostAsync(RateGate gate, string path, string body, CancellationToken cancellationToken)
    {
        DhanOptions options = _options();
        (string clientId, string accessToken) = options.RequireCredentials();
        for (int attempt = 1; ; attempt++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, options.RestUrl.TrimEnd('/') + path)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("access-token", accessToken);
            request.Headers.Add("client-id", clientId);
            request.Headers.Add("Accept", "application/json");
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            DhanRestError error = response.IsSuccessStatusCode ? default : DhanRestError.Read(text);
            if ((response.StatusCode == HttpStatusCode.TooManyRequests || error.IsRateLimit) && attempt < Attempts)
            {
                Interlocked.Increment(ref _rateLimited);
                TimeSpan wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || error.IsAuth)
            {
                throw new AuthenticationRejectedException($"Dhan REST rejected the credentials ({error.Describe()}): check Dhan:ClientId and refresh Dhan:AccessToken");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Dhan REST {path} failed: HTTP {(int)response.StatusCode} {error.Describe()}", null, response.StatusCode);
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new HttpRequestException($"Dhan REST {path} answered with something that is not JSON", e);
            }
        }
    }
}
