using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase Advanced Trade public market data: the instrument master from the products list, trades, tickers and
/// level2 books over the market-data WebSocket through the shared <see cref="FeedSession"/> (books checked by
/// <c>sequence_num</c> and resynced by resubscribing), REST tickers for failover, and candles for history.
/// Configuration (section <c>Coinbase</c>) is read again before every connection attempt and REST call; no
/// credentials are needed.
/// </summary>
public sealed class CoinbaseFeed : IFeed, IRecordableFeed, IHistoricalCandleSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;

    public CoinbaseFeed(IConfiguration configuration, TimeProvider time, string name = "coinbase")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new CoinbaseRestClient(Options, time, _restTap) { Products = id => Master.TryGetProduct(id, out string? product) ? product : null };
        Protocol = new CoinbaseStreamProtocol(Options, Master, Health) { FeedName = name };
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>The running session (connections, malformed-frame and capacity counters); null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    internal CoinbaseInstrumentMaster Master { get; } = new();

    internal CoinbaseRestClient Rest { get; }

    internal CoinbaseStreamProtocol Protocol { get; }

    /// <summary>The current configuration, bound afresh.</summary>
    public CoinbaseOptions Options() => _configuration.GetSection("Coinbase").Get<CoinbaseOptions>() ?? new CoinbaseOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        CoinbaseOptions options = Options();
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
        return Master.TryGetProduct(instrument.Id, out string? product)
            ? await Rest.GetCandlesAsync(product, interval, endUtc < now ? endUtc : now, count, cancellationToken).ConfigureAwait(false)
            : [];
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        try
        {
            Options().Validate();
            checks.Add(DoctorCheck.Pass("configuration", "Coinbase settings are in range (no credentials needed for market data)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("configuration", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} online spot products from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Coinbase:InstrumentsFile or check Coinbase:RestUrl"));
        checks.Add(await StreamConnectivityCheck.RunAsync(
            Protocol.BuildStreamUri,
            $"market-data stream at {Options().StreamUrl}",
            "accepted the connection",
            status => (int)status == 429 ? "too many connection attempts from this IP (Coinbase allows 8 a second)" : "",
            cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }
}
