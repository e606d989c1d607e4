using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// DhanHQ v2: the scrip master, the main binary feed through the shared <see cref="FeedSession"/>, the 20-level depth
/// feed on its own session into order books, REST quotes for failover and charts for candle history. Configuration
/// (section <c>Dhan</c>, credentials included) is read again before every connection attempt and REST call.
/// </summary>
public sealed class DhanFeed : IFeed, IRecordableFeed, IHistoricalCandleSource, IPreviousOpenInterestSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;

    public DhanFeed(IConfiguration configuration, TimeProvider time, string name = "dhan")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        DepthHealth = new FeedHealth(name + "-depth", time);
        _restTap = new RawRestTap(name, time);
        Rest = new DhanRestClient(Options, time, _restTap);
        Protocol = new DhanStreamProtocol(Options, Master, Health, time);
        DepthProtocol = new DhanDepthProtocol(Options, Master, DepthHealth);
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>The depth feed's own connections (kept apart so a quiet depth socket never colours the main feed's state).</summary>
    public FeedHealth DepthHealth { get; }

    /// <summary>The running main feed session; null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    /// <summary>The running depth session; null before <see cref="RunAsync"/> or with <see cref="DhanOptions.Depth"/> off.</summary>
    public FeedSession? DepthSession { get; private set; }

    internal DhanInstrumentMaster Master { get; } = new();

    internal DhanRestClient Rest { get; }

    internal DhanStreamProtocol Protocol { get; }

    internal DhanDepthProtocol DepthProtocol { get; }

    /// <summary>The current configuration, bound afresh: rotated credentials are picked up on the next attempt.</summary>
    public DhanOptions Options() => _configuration.GetSection("Dhan").Get<DhanOptions>() ?? new DhanOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        DhanOptions options = Options();
        options.RequireCredentials();
        options.Stream.Validate();
        options.DepthStream.Validate();
        options.Probe();
        DateOnly today = DateOnly.FromDateTime(TimeZones.ToZone(_time.GetUtcNow().UtcDateTime, TimeZones.Kolkata).DateTime);
        await Master.LoadAsync(options, Rest, registry, Name, today, cancellationToken).ConfigureAwait(false);
        Rest.Securities = id => registry.TryGet(id, out Instrument? instrument) && Master.TryGetSecurity(id, out byte segment, out int securityId)
            ? (instrument, segment, securityId)
            : null;
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        DhanOptions options = Options();
        Session = new FeedSession(Name, Protocol, options.Stream, context, Health, Master.Contains, Rest);
        var runs = new List<Task> { Session.RunAsync(cancellationToken) };
        if (options.Depth)
        {
            DepthSession = new FeedSession(Name + "-depth", DepthProtocol, options.DepthStream, context, DepthHealth, DepthProtocol.Wants);
            runs.Add(DepthSession.RunAsync(cancellationToken));
        }

        // A reloaded configuration (a new access token) ends any wait after an authentication failure at once.
        using IDisposable reload = ChangeToken.OnChange(_configuration.GetReloadToken, () =>
        {
            Session.NotifyCredentialsChanged();
            DepthSession?.NotifyCredentialsChanged();
        });
        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (!Master.TryGetSecurity(instrument.Id, out byte segment, out int securityId))
        {
            return [];
        }

        // From the open of the session holding the count-th bar back (weekends and holidays skipped), within Dhan's range.
        DateTime from = CandleHistoryWindow.Of(instrument.Calendar, interval, endUtc, 0, count, count).StartUtc;
        DateTime earliest = endUtc - TimeSpan.FromDays(interval.Length >= TimeSpan.FromDays(1) ? 3650 : 90);
        IReadOnlyList<Candle> candles = await Rest.GetChartAsync(instrument, segment, securityId, interval, from < earliest ? earliest : from, endUtc, cancellationToken).ConfigureAwait(false);
        return [.. candles.Where(c => c.End <= endUtc).TakeLast(count)];
    }

    /// <summary>What the stream's previous-close packets (code 6, one per subscription) said so far; the rest are not known yet.</summary>
    public IAsyncEnumerable<PreviousOpenInterest> GetPreviousOpenInterestAsync(IReadOnlyList<Instrument> instruments, CancellationToken cancellationToken)
    {
        DhanSecurityMap map = Master.Securities;
        var known = new List<PreviousOpenInterest>(instruments.Count);
        foreach (Instrument instrument in instruments)
        {
            if (Master.TryGetSecurity(instrument.Id, out byte segment, out int securityId) && map.TryGet(segment, securityId, out DhanSecurity security)
                && map.PreviousOpenInterest(security.Slot) is { HasValue: true } oi)
            {
                known.Add(new PreviousOpenInterest(instrument.Id, oi));
            }
        }

        return known.ToAsyncEnumerable();
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        DhanOptions options = Options();
        try
        {
            options.RequireCredentials();
            checks.Add(DoctorCheck.Pass("credentials", "Dhan:ClientId and Dhan:AccessToken are set (values not shown)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("credentials", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} instruments from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rows rejected" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Dhan:InstrumentsFile or check Dhan:ScripMasterUrl"));
        checks.Add(await CheckRestAsync(options, cancellationToken).ConfigureAwait(false));
        checks.Add(await StreamConnectivityCheck.RunAsync(
            Protocol.BuildStreamUri,
            $"market feed at {options.StreamUrl}",
            "accepted the connection",
            status => status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized ? "the access token or client id was rejected" : "",
            cancellationToken).ConfigureAwait(false));
        return checks;
    }

    /// <summary>Dhan accepts any socket and only then says the token is bad: one REST call checks the credentials themselves.</summary>
    private async Task<DoctorCheck> CheckRestAsync(DhanOptions options, CancellationToken cancellationToken)
    {
        try
        {
            (byte segment, int securityId) = options.Probe();
            await Rest.CheckCredentialsAsync(segment, securityId, cancellationToken).ConfigureAwait(false);
            return DoctorCheck.Pass("rest", $"market quote at {options.RestUrl} accepted the credentials");
        }
        catch (Exception e) when (e is AuthenticationRejectedException or HttpRequestException or FeedConfigurationException or TaskCanceledException)
        {
            return DoctorCheck.Fail("rest", FeedHealth.Sanitize(e.Message)!);
        }
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }
}
