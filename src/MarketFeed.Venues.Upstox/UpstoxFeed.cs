using System.Runtime.CompilerServices;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox v3: the instrument file, the protobuf stream through the shared <see cref="FeedSession"/> (authorized anew
/// before every connection), v3 LTP quotes for failover, historical plus intraday candles for seeding, and the
/// per-segment market status that decides whether a quiet instrument is closed or stale. Configuration (the token
/// included) is read again before every connection attempt and REST call.
/// </summary>
public sealed class UpstoxFeed : IFeed, IRecordableFeed, IHistoricalCandleSource, IMarketSessionSource, IPreviousOpenInterestSource
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly RawRestTap _restTap;

    public UpstoxFeed(IConfiguration configuration, TimeProvider time, string name = "upstox")
    {
        _configuration = configuration;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time);
        _restTap = new RawRestTap(name, time);
        Rest = new UpstoxRestClient(Options, time, _restTap);
        Protocol = new UpstoxStreamProtocol(Options, Rest, Master, Sessions, Health);
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    public UpstoxInstrumentMaster Master { get; } = new();

    public UpstoxRestClient Rest { get; }

    public UpstoxStreamProtocol Protocol { get; }

    /// <summary>Per-segment market status from the stream's <c>market_info</c>.</summary>
    public UpstoxMarketSessions Sessions { get; } = new();

    /// <summary>The running session; null before <see cref="RunAsync"/>.</summary>
    public FeedSession? Session { get; private set; }

    /// <summary>The current configuration, bound afresh: a rotated token is picked up on the next attempt.</summary>
    public UpstoxOptions Options() => _configuration.GetSection("Upstox").Get<UpstoxOptions>() ?? new UpstoxOptions();

    /// <summary>REST answers (instrument list included) go to <paramref name="tap"/> from now on.</summary>
    public void AttachRawTap(IRawFrameTap tap) => _restTap.Tap = tap;

    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        Options().Stream.Validate();
        await Master.LoadAsync(Options(), Rest, registry, Name, Today(), cancellationToken).ConfigureAwait(false);
        Rest.Instruments = id => registry.TryGet(id, out Instrument? instrument) ? instrument : null;
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        Session = new FeedSession(Name, Protocol, Options().Stream, context, Health, id => Master.TryGetKey(id, out _), Rest);
        void Log(string segment, UpstoxSegmentStatus status) => context.Logger.SegmentStatus(Name, segment, UpstoxMarketSessions.Name(status), status);
        Sessions.Changed += Log;
        try
        {
            // A reloaded configuration (a refreshed access token) ends any wait after an authentication failure at once.
            using IDisposable reload = ChangeToken.OnChange(_configuration.GetReloadToken, Session.NotifyCredentialsChanged);
            await Session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Sessions.Changed -= Log;
        }
    }

    public bool? IsSessionOpen(Instrument instrument) => instrument.Feed == Name ? Sessions.IsSessionOpen(instrument) : null;

    /// <summary>Upstox's stream carries no previous-day OI: one daily-candle request per instrument (its <c>oi</c> column), at the REST rate limit.</summary>
    public async IAsyncEnumerable<PreviousOpenInterest> GetPreviousOpenInterestAsync(
        IReadOnlyList<Instrument> instruments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateOnly today = Today();
        foreach (Instrument instrument in instruments)
        {
            if (Master.TryGetKey(instrument.Id, out string key)
                && await Rest.GetPreviousDayOpenInterestAsync(key, today, cancellationToken).ConfigureAwait(false) is { HasValue: true } oi)
            {
                yield return new PreviousOpenInterest(instrument.Id, oi);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> closed bars ending by <paramref name="endUtc"/>: the historical endpoint over a
    /// span wide enough for sessions, nights and weekends (within Upstox's per-request limit), plus today's intraday
    /// candles when the range reaches today (the historical endpoint stops at yesterday).
    /// </summary>
    public async Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        if (!Master.TryGetKey(instrument.Id, out string key) || UpstoxCandleUnit.For(interval) is not { } unit || count <= 0)
        {
            return [];
        }

        // From the session holding the count-th bar back (weekends and holidays skipped: Upstox answers session bars only),
        // within the span Upstox allows for the unit.
        DateTime from = CandleHistoryWindow.Of(instrument.Calendar, interval, endUtc, 0, count, count).StartUtc;
        DateTime earliest = endUtc - unit.MaxSpan;
        DateOnly endDay = IstDate(endUtc);
        DateOnly fromDay = IstDate(from < earliest ? earliest : from);
        var byStart = new SortedDictionary<DateTime, Candle>();
        foreach (Candle candle in await Rest.GetHistoricalAsync(key, interval, fromDay, endDay, cancellationToken).ConfigureAwait(false))
        {
            byStart[candle.Start] = candle;
        }

        if (endDay >= Today())
        {
            foreach (Candle candle in await Rest.GetIntradayAsync(key, interval, cancellationToken).ConfigureAwait(false))
            {
                byStart[candle.Start] = candle;
            }
        }

        return [.. byStart.Values.Where(c => c.End <= endUtc).TakeLast(count)];
    }

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        try
        {
            Options().RequireToken();
            checks.Add(DoctorCheck.Pass("credentials", "Upstox:AccessToken is set (value not shown)"));
        }
        catch (FeedConfigurationException e)
        {
            checks.Add(DoctorCheck.Fail("credentials", e.Message));
            return checks;
        }

        checks.Add(Master.Count > 0
            ? DoctorCheck.Pass("instruments", $"{Master.Count} instruments from {Master.Source}{(Master.Rejected > 0 ? $", {Master.Rejected} rows skipped" : "")}")
            : DoctorCheck.Fail("instruments", "no instruments loaded: set Upstox:InstrumentsFile or check Upstox:InstrumentsUrl"));
        Uri socket;
        try
        {
            socket = await Rest.AuthorizeFeedAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(DoctorCheck.Pass("authorize", "the feed authorize call returned a socket URL"));
        }
        catch (Exception e) when (e is AuthenticationRejectedException or HttpRequestException or TaskCanceledException)
        {
            checks.Add(DoctorCheck.Fail("authorize", FeedHealth.Sanitize(e.Message) ?? "authorize failed"));
            return checks;
        }

        checks.Add(await StreamConnectivityCheck.RunAsync(
            () => socket, "the authorized feed socket", "accepted the one-time URL",
            status => status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized ? "the token lacks feed access or the URL was already used" : "",
            cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public ValueTask DisposeAsync()
    {
        Rest.Dispose();
        return ValueTask.CompletedTask;
    }

    private static DateOnly IstDate(DateTime utc) => DateOnly.FromDateTime(TimeZones.ToZone(utc, TimeZones.Kolkata).DateTime);

    private DateOnly Today() => IstDate(_time.GetUtcNow().UtcDateTime);
}
