using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance Spot public market data: the instrument master from exchange information, trades, book tickers and 100 ms
/// diff depth over combined streams through the shared <see cref="FeedSession"/> (books synced from REST snapshots),
/// REST book tickers for failover, and klines for candle history. Configuration (section <c>Binance</c>) is read
/// again before every connection attempt and REST call; no credentials are needed.
/// </summary>
public sealed class BinanceFeed : IFeed, IRecordableFeed, IHistoricalCandleSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;

    public BinanceFeed(IConfiguration configuration, TimeProvider time, string name = "binance")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new BinanceRestClient(Options, time, _restTap) { Symbols = id => Master.TryGetSymbol(id, out string? symbol) ? symbol : null };
        Protocol = new BinanceStreamProtocol(Options, Master, Rest, Health) { FeedName = name };
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>The running session (connections, malformed-frame and capacity counters); null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    internal BinanceInstrumentMaster Master { get; } = new();

    internal BinanceRestClient Rest { get; }

    internal BinanceStreamProtocol Protocol { get; }

    /// <summary>The current configuration, bound afresh.</summary>
    public BinanceOptions Options() => _configuration.GetSection("Binance").Get<BinanceOptions>() ?? new BinanceOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        BinanceOptions options = Options();
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
        return Master.TryGetSymbol(instrument.Id, out string? symbol)
            ? await Rest.GetKlinesAsync(symbol, interval, endUtc < now ? endUtc : now, count, cancellationToken).ConfigureAwait(false)
            : [];
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        try
        {
            Options().Validate();
            checks.Add(DoctorCheck.Pass("configuration", "Binance settings are in range (no credentials needed for market data)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("configuration", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} trading symbols from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Binance:InstrumentsFile or check Binance:RestUrl"));
        checks.Add(Rest.Weight.BannedUntil is { } until
            ? DoctorCheck.Fail("rest", $"Binance has banned this IP from REST until {until:u} (HTTP 418); no REST call is made before then")
            : DoctorCheck.Pass("rest", $"request weight {Rest.Weight.UsedThisMinute} of {Rest.Weight.Budget} used this minute"));
        checks.Add(await CheckStreamAsync(cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<DoctorCheck> CheckStreamAsync(CancellationToken cancellationToken) =>
        StreamConnectivityCheck.RunAsync(
            Protocol.BuildStreamUri,
            $"combined stream at {Options().StreamUrl}",
            "accepted the connection",
            status => status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.UnavailableForLegalReasons
                ? "refused by Binance's firewall (region or network blocked)"
                : (int)status is 429 or 418 ? "too many connection attempts from this IP" : "",
            cancellationToken);
}
