using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Kite's REST API: the instrument dump, quotes for polling, historical candles. Each endpoint class has
/// its own token bucket (quote 1/s, historical 3/s by default) that every caller waits on, so bursts never exceed
/// the venue's limit; a 429 anyway backs off and retries. Credentials are read per request and never logged.
/// </summary>
public sealed class KiteRestClient : IQuotePoller, IDisposable
{
    private const int QuoteBatch = 500;
    private static readonly TimeZoneInfo s_ist = TimeZones.Kolkata;
    private readonly Func<KiteOptions> _options;
    private readonly HttpClient _http;
    private readonly RateGate _quoteGate;
    private readonly RateGate _historicalGate;
    private readonly TimeProvider _time;
    private long _rateLimited;

    public KiteRestClient(Func<KiteOptions> options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(15);
        KiteOptions current = options();
        _quoteGate = new RateGate(current.QuoteRequestsPerSecond, time);
        _historicalGate = new RateGate(current.HistoricalRequestsPerSecond, time);
    }

    /// <summary>Resolves registry ids to the <c>EXCHANGE:TRADINGSYMBOL</c> keys the quote endpoint takes.</summary>
    public Func<InstrumentId, Instrument?>? Instruments { get; set; }

    /// <summary>Responses that were HTTP 429 (each was retried after a back-off).</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>The quote gate already paces every request, so the failover loop need not wait between rounds.</summary>
    public TimeSpan Interval => TimeSpan.Zero;

    public async Task<string> GetInstrumentsCsvAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(null, "/instruments", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
    {
        var ticks = new List<Tick>(instruments.Count);
        foreach (InstrumentId[] batch in instruments.Chunk(QuoteBatch))
        {
            Instrument[] known = [.. batch.Select(id => Instruments?.Invoke(id)).OfType<Instrument>()];
            string query = string.Join('&', known.Select(i => "i=" + Uri.EscapeDataString(i.Symbol)));
            using HttpResponseMessage response = await SendAsync(_quoteGate, "/quote?" + query, cancellationToken).ConfigureAwait(false);
            using JsonDocument json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            JsonElement data = json.RootElement.GetProperty("data");
            DateTime received = _time.GetUtcNow().UtcDateTime;
            foreach (Instrument instrument in known)
            {
                // Keys with no data (expired, unknown) are absent: check presence, never assume.
                if (data.TryGetProperty(instrument.Symbol, out JsonElement quote))
                {
                    ticks.Add(QuoteToTick(quote, instrument, received));
                }
            }
        }

        return ticks;
    }

    public async Task<IReadOnlyList<Candle>> GetHistoricalAsync(uint token, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        if (IntervalName(interval) is not { } name)
        {
            return [];
        }

        string from = Uri.EscapeDataString(TimeZoneInfo.ConvertTimeFromUtc(fromUtc, s_ist).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        string to = Uri.EscapeDataString(TimeZoneInfo.ConvertTimeFromUtc(toUtc, s_ist).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        using HttpResponseMessage response = await SendAsync(_historicalGate, $"/instruments/historical/{token}/{name}?from={from}&to={to}", cancellationToken).ConfigureAwait(false);
        using JsonDocument json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        var candles = new List<Candle>();
        foreach (JsonElement row in json.RootElement.GetProperty("data").GetProperty("candles").EnumerateArray())
        {
            DateTime start = ParseCandleTime(row[0].GetString()!);
            candles.Add(new Candle(
                start, start + interval.Length,
                Price.FromDecimal(row[1].GetDecimal()), Price.FromDecimal(row[2].GetDecimal()), Price.FromDecimal(row[3].GetDecimal()), Price.FromDecimal(row[4].GetDecimal()),
                Quantity.FromDecimal(row[5].GetDecimal()), 0, CandleFlags.Closed | CandleFlags.History));
        }

        return candles;
    }

    /// <summary>
    /// The open interest at the close of the last trading day before today (IST): the <c>oi</c> of the newest daily
    /// candle before today (<c>oi=1</c>), through the historical gate. None when the contract has no such candle.
    /// </summary>
    public async Task<Quantity> GetPreviousDayOpenInterestAsync(uint token, CancellationToken cancellationToken)
    {
        DateTime today = TimeZoneInfo.ConvertTimeFromUtc(_time.GetUtcNow().UtcDateTime, s_ist).Date;
        string from = Uri.EscapeDataString(today.AddDays(-10).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        string to = Uri.EscapeDataString(today.AddSeconds(-1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        using HttpResponseMessage response = await SendAsync(_historicalGate, $"/instruments/historical/{token}/day?from={from}&to={to}&oi=1", cancellationToken).ConfigureAwait(false);
        using JsonDocument json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        Quantity oi = Quantity.None;
        DateTime newest = DateTime.MinValue;
        foreach (JsonElement row in json.RootElement.GetProperty("data").GetProperty("candles").EnumerateArray())
        {
            DateTime start = ParseCandleTime(row[0].GetString()!);
            if (row.GetArrayLength() > 6 && start > newest && TimeZoneInfo.ConvertTimeFromUtc(start, s_ist).Date < today)
            {
                newest = start;
                oi = Quantity.FromDecimal(row[6].GetDecimal());
            }
        }

        return oi;
    }

    /// <summary>Kite stamps candles like <c>2017-12-15T09:15:00+0530</c> (no colon in the offset).</summary>
    public static DateTime ParseCandleTime(string text)
    {
        if (text.Length == 24 && text[19] is '+' or '-')
        {
            text = text.Insert(22, ":");
        }

        return DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).UtcDateTime;
    }

    /// <summary>Kite's interval names; other lengths have no history there.</summary>
    public static string? IntervalName(CandleInterval interval) => (int)interval.Length.TotalMinutes switch
    {
        1 when interval.Length.TotalSeconds == 60 => "minute",
        3 => "3minute",
        5 => "5minute",
        10 => "10minute",
        15 => "15minute",
        30 => "30minute",
        60 => "60minute",
        1440 => "day",
        _ => null,
    };

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(RateGate? gate, string pathAndQuery, CancellationToken cancellationToken)
    {
        KiteOptions options = _options();
        (string apiKey, string accessToken) = options.RequireCredentials();
        for (int attempt = 1; ; attempt++)
        {
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, options.RestUrl.TrimEnd('/') + pathAndQuery);
            request.Headers.Add("X-Kite-Version", "3");
            request.Headers.Authorization = new AuthenticationHeaderValue("token", $"{apiKey}:{accessToken}");
            HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 4)
            {
                Interlocked.Increment(ref _rateLimited);
                TimeSpan wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt);
                response.Dispose();
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                string message = await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                throw response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                    ? new AuthenticationRejectedException($"Kite REST rejected the credentials ({message}): refresh Kite:AccessToken")
                    : new HttpRequestException($"Kite REST {pathAndQuery.Split('?')[0]} failed: HTTP {(int)response.StatusCode} {message}", null, response.StatusCode);
            }

            return response;
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return json.RootElement.TryGetProperty("message", out JsonElement message) ? message.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    private static Tick QuoteToTick(JsonElement q, Instrument instrument, DateTime receivedUtc)
    {
        var tick = new Tick(instrument.Id)
        {
            ReceiveTime = receivedUtc,
            Source = TickSource.Poll,
            Mode = FeedMode.Full,
            Ltp = PriceOf(q, "last_price"),
        };
        if (q.TryGetProperty("timestamp", out JsonElement ts) && ts.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(ts.GetString(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            tick.ExchangeTime = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), s_ist);
        }

        if (q.TryGetProperty("ohlc", out JsonElement ohlc))
        {
            tick.Open = PriceOf(ohlc, "open");
            tick.High = PriceOf(ohlc, "high");
            tick.Low = PriceOf(ohlc, "low");
            tick.Close = PriceOf(ohlc, "close");
        }

        if (instrument.IsTradable)
        {
            tick.Ltq = QuantityOf(q, "last_quantity");
            tick.Atp = PriceOf(q, "average_price");
            tick.Volume = QuantityOf(q, "volume");
            tick.Oi = QuantityOf(q, "oi");
            tick.Flags = TickFlags.CumulativeVolume;
            if (q.TryGetProperty("depth", out JsonElement depth))
            {
                ReadSide(depth, "buy", ref tick, bids: true);
                ReadSide(depth, "sell", ref tick, bids: false);
            }
        }

        return tick;
    }

    private static void ReadSide(JsonElement depth, string side, ref Tick tick, bool bids)
    {
        if (!depth.TryGetProperty(side, out JsonElement levels))
        {
            return;
        }

        int level = 0;
        foreach (JsonElement entry in levels.EnumerateArray().Take(MarketDepth.Levels))
        {
            var value = new DepthLevel(PriceOf(entry, "price"), QuantityOf(entry, "quantity"), entry.TryGetProperty("orders", out JsonElement o) ? o.GetInt32() : 0);
            if (bids)
            {
                tick.Depth.SetBid(level, value);
            }
            else
            {
                tick.Depth.SetAsk(level, value);
            }

            level++;
        }

        DepthLevel best = bids ? tick.Depth.Bids[0] : tick.Depth.Asks[0];
        if (level > 0 && best.Price.Raw > 0)
        {
            if (bids)
            {
                (tick.Bid, tick.BidQty) = (best.Price, best.Quantity);
            }
            else
            {
                (tick.Ask, tick.AskQty) = (best.Price, best.Quantity);
            }
        }
    }

    private static Price PriceOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? Price.FromDecimal(v.GetDecimal()) : Price.None;

    private static Quantity QuantityOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? Quantity.FromDecimal(v.GetDecimal()) : Quantity.None;
}
