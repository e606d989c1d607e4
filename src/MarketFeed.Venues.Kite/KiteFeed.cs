using System.Runtime.CompilerServices;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Zerodha Kite: the instrument master, the ticker stream through the shared <see cref="FeedSession"/>, REST quotes
/// for failover and historical candles for seeding. Configuration is read again (credentials included) before every
/// connection attempt and REST call.
/// </summary>
public sealed class KiteFeed : IFeed, IRecordableFeed, IHistoricalCandleSource, IPreviousOpenInterestSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;
    private InstrumentRegistry? _registry;

    public KiteFeed(IConfiguration configuration, TimeProvider time, string name = "kite")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new KiteRestClient(Options, time, _restTap);
        Protocol = new KiteStreamProtocol(Options, Master, Health);
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    public KiteInstrumentMaster Master { get; } = new();

    public KiteRestClient Rest { get; }

    public KiteStreamProtocol Protocol { get; }

    /// <summary>The running session (connections, malformed-frame and capacity counters); null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    /// <summary>The current configuration, bound afresh: rotated credentials are picked up on the next attempt.</summary>
    public KiteOptions Options() => _configuration.GetSection("Kite").Get<KiteOptions>() ?? new KiteOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        _registry = registry;
        Options().Stream.Validate();
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(_time.GetUtcNow().UtcDateTime, TimeZones.Kolkata).DateTime);
        await Master.LoadAsync(Options(), Rest, registry, Name, today, cancellationToken).ConfigureAwait(false);
        Rest.Instruments = id => registry.TryGet(id, out Instrument? instrument) ? instrument : null;
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        Session = new FeedSession(Name, Protocol, Options().Stream, context, Health, id => Master.TryGetToken(id, out _), Rest);

        // A reloaded configuration (a refreshed access token) ends any wait after an authentication failure at once.
        using IDisposable reload = ChangeToken.OnChange(_configuration.GetReloadToken, Session.NotifyCredentialsChanged);
        await Session.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (!Master.TryGetToken(instrument.Id, out uint token) || KiteRestClient.IntervalName(interval) is null)
        {
            return [];
        }

        // From the open of the session holding the count-th bar back (weekends and holidays skipped), within Kite's 60-day limit.
        DateTime from = CandleHistoryWindow.Of(instrument.Calendar, interval, endUtc, 0, count, count).StartUtc;
        DateTime earliest = endUtc - TimeSpan.FromDays(60);
        IReadOnlyList<Candle> candles = await Rest.GetHistoricalAsync(token, interval, from < earliest ? earliest : from, endUtc, cancellationToken).ConfigureAwait(false);
        return [.. candles.Where(c => c.End <= endUtc).TakeLast(count)];
    }

    /// <summary>Kite's stream carries no previous-day OI: one daily-candle request (<c>oi=1</c>) per instrument, at the historical rate limit.</summary>
    public async IAsyncEnumerable<PreviousOpenInterest> GetPreviousOpenInterestAsync(
        IReadOnlyList<Instrument> instruments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (Instrument instrument in instruments)
        {
            if (Master.TryGetToken(instrument.Id, out uint token)
                && await Rest.GetPreviousDayOpenInterestAsync(token, cancellationToken).ConfigureAwait(false) is { HasValue: true } oi)
            {
                yield return new PreviousOpenInterest(instrument.Id, oi);
            }
        }
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        KiteOptions options = Options();
        try
        {
            options.RequireCredentials();
            checks.Add(DoctorCheck.Pass("credentials", "Kite:ApiKey and Kite:AccessToken are set (values not shown)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("credentials", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} instruments from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rows rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Kite:InstrumentsFile or check Kite:RestUrl"));
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
            $"ticker stream at {Options().StreamUrl}",
            "accepted the credentials",
            status => status is System.Net.HttpStatusCode.Forbidden ? "the access token was rejected, log in again" : "",
            cancellationToken);
}
