using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken Spot public market data over WebSocket v2: the instrument master from REST asset pairs, trades, tickers and
/// books checked by Kraken's CRC32 through the shared <see cref="FeedSession"/> (a failed book is resubscribed alone),
/// REST tickers for failover, and OHLC for candle history. Configuration (section <c>Kraken</c>) is read again before
/// every connection attempt and REST call; no credentials are needed.
/// </summary>
public sealed class KrakenFeed : IFeed, IRecordableFeed, IHistoricalCandleSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;

    public KrakenFeed(IConfiguration configuration, TimeProvider time, string name = "kraken")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new KrakenRestClient(Options, time, _restTap) { Pairs = id => Master.TryGetRestPair(id, out string? pair) ? pair : null };
        Protocol = new KrakenStreamProtocol(Options, Master, Health) { FeedName = name };
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>The running session (connections, malformed-frame and capacity counters); null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    internal KrakenInstrumentMaster Master { get; } = new();

    internal KrakenRestClient Rest { get; }

    internal KrakenStreamProtocol Protocol { get; }

    /// <summary>The current configuration, bound afresh.</summary>
    public KrakenOptions Options() => _configuration.GetSection("Kraken").Get<KrakenOptions>() ?? new KrakenOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        KrakenOptions options = Options();
        options.Validate();
        DateOnly todayUtc = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        await Master.LoadAsync(options, Rest, registry, Name, todayUtc, cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        Rest.Logger = context.Logger;
        Protocol.Logger = context.Logger;
        Session = new FeedSession(Name, Protocol, Options().Stream, context, Health, Master.Contains, Rest);
        await Session.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        return Master.TryGetRestPair(instrument.Id, out string? pair)
            ? await Rest.GetOhlcAsync(pair, interval, endUtc < now ? endUtc : now, count, cancellationToken).ConfigureAwait(false)
            : [];
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        try
        {
            Options().Validate();
            checks.Add(DoctorCheck.Pass("configuration", "Kraken settings are in range (no credentials needed for market data)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("configuration", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} pairs from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Kraken:InstrumentsFile or check Kraken:RestUrl"));
        checks.Add(Rest.RateLimited > 0
            ? DoctorCheck.Fail("rest", $"Kraken rate-limited {Rest.RateLimited} of {Rest.Calls} REST calls; lower Kraken:RestRequestsPerSecond")
            : DoctorCheck.Pass("rest", $"{Rest.Calls} REST calls, none rate-limited"));
        checks.Add(await StreamConnectivityCheck.RunAsync(
            Protocol.BuildStreamUri,
            $"WebSocket v2 at {Options().StreamUrl}",
            "accepted the connection",
            status => (int)status is 429 or 403 ? "too many connection attempts from this IP (Kraken allows about 150 per 10 minutes)" : "",
            cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }
}
