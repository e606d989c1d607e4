using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub real-time trades for US stocks, forex and crypto: the instrument master from Finnhub's symbol lists, trades
/// over one WebSocket through the shared <see cref="FeedSession"/>, <c>/quote</c> polling for failover within the
/// call budget, and candle history only where the key's plan has it (<see cref="FinnhubOptions.HistoricalCandles"/>;
/// otherwise candles start from live trades). Configuration (section <c>Finnhub</c>) is read again before every
/// connection attempt and REST call; the token comes from there only and is never logged or shown.
/// </summary>
public sealed class FinnhubFeed : IFeed, IRecordableFeed, IHistoricalCandleSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;
    private volatile bool _candlesRefused;

    public FinnhubFeed(IConfiguration configuration, TimeProvider time, string name = "finnhub")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new FinnhubRestClient(Options, time, _restTap) { Symbols = id => Master.TryGetSymbol(id, out string? symbol) ? symbol : null };
        Protocol = new FinnhubStreamProtocol(Options, Master, Health) { FeedName = name };
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>The running session (connections, malformed-frame and capacity counters); null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    internal FinnhubInstrumentMaster Master { get; } = new();

    internal FinnhubRestClient Rest { get; }

    internal FinnhubStreamProtocol Protocol { get; }

    /// <summary>The current configuration, bound afresh.</summary>
    public FinnhubOptions Options() => _configuration.GetSection("Finnhub").Get<FinnhubOptions>() ?? new FinnhubOptions();

    /// <summary>REST answers (symbol lists included) go to <paramref name="tap"/> from now on; the token is in a header, never in what is recorded.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        FinnhubOptions options = Options();
        options.Validate();
        options.RequireToken();
        DateOnly todayUtc = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        await Master.LoadAsync(options, Rest, registry, Name, todayUtc, cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        Rest.Logger = context.Logger;
        Protocol.Logger = context.Logger;
        Session = new FeedSession(Name, Protocol, Options().Stream, context, Health, Master.Contains, Rest);

        // A token fixed and reloaded is tried at once, not after the auth retry delay.
        using IDisposable reload = ChangeToken.OnChange(_configuration.GetReloadToken, Session.NotifyCredentialsChanged);
        await Session.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closed bars from Finnhub's candle endpoints when <see cref="FinnhubOptions.HistoricalCandles"/> is on; none
    /// otherwise, or once Finnhub has said (HTTP 403) that the key's plan has no candles: charts then start from live trades.
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (_candlesRefused || !Options().HistoricalCandles || count <= 0 || !Master.TryGetSymbol(instrument.Id, out string? symbol))
        {
            return [];
        }

        DateTime now = _time.GetUtcNow().UtcDateTime;
        DateTime end = endUtc < now ? endUtc : now;

        // Calendar time, not trading time: a stock's nights and weekends are in the span, so ask for more and keep the last.
        DateTime from = end - (interval.Length * count * (instrument.Calendar.IsContinuous ? 1 : 4));
        try
        {
            IReadOnlyList<Candle> candles = await Rest.GetCandlesAsync(Master.KindOf(instrument.Id), symbol, interval, from, end, cancellationToken).ConfigureAwait(false);
            List<Candle> closed = [.. candles.Where(c => c.End <= end)];
            return closed.Count > count ? closed[^count..] : closed;
        }
        catch (FinnhubPlanException e)
        {
            _candlesRefused = true;
            FinnhubLog.CandlesNotInPlan(Rest.Logger, e.Path);
            return [];
        }
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        try
        {
            FinnhubOptions options = Options();
            options.Validate();
            options.RequireToken();
            checks.Add(DoctorCheck.Pass("configuration", $"Finnhub settings are in range and a token is set; {options.MaxSymbols} symbols, {options.CallsPerMinute} REST calls a minute"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("configuration", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} symbols from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: check Finnhub:Token, Finnhub:RestUrl and the exchange lists"));
        checks.Add(await StreamConnectivityCheck.RunAsync(
            Protocol.BuildStreamUri,
            $"trade socket at {Options().StreamUrl}",
            "accepted the token",
            status => status == System.Net.HttpStatusCode.Unauthorized ? "refused the token (HTTP 401): a sandbox key or a wrong one" : "",
            cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }
}
