namespace MarketFeed.History;

/// <summary>
/// When and how live bars are compared with the venue's own candles (reconciliation) and how bars missed during an
/// outage are fetched (backfill). Read once at start. Every property has a documented default.
/// </summary>
public sealed class ReconciliationOptions
{
    /// <summary>Compare closed live bars with the venue's candles and backfill outages. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first check of a bar, this long after it closed (the venue's provisional candle). Default 15 s.</summary>
    public TimeSpan FirstCheckAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The second check of an intraday bar, this long after it closed, when the venue's official candle is out (Indian
    /// brokers settle minute candles some minutes later). Zero or not above <see cref="FirstCheckAfter"/>: no second
    /// check. Default 5 min; per feed in <see cref="OfficialAfterByFeed"/>.
    /// </summary>
    public TimeSpan OfficialAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The second check of a daily bar, this long after the session close (settlement). Default 1 h; per feed in <see cref="DailyOfficialAfterByFeed"/>.</summary>
    public TimeSpan DailyOfficialAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary><see cref="OfficialAfter"/> for one feed, by feed name (<c>History:Reconciliation:OfficialAfterByFeed:kite = 00:03:00</c>).</summary>
    public IDictionary<string, TimeSpan> OfficialAfterByFeed { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);

    /// <summary><see cref="DailyOfficialAfter"/> for one feed, by feed name.</summary>
    public IDictionary<string, TimeSpan> DailyOfficialAfterByFeed { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// History requests in flight at once, over all feeds. Each request still waits on its venue's rate gate; this
    /// bounds how many wait, so reconciliation never crowds out other REST calls. Default 2.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>How often due checks are looked for. Checks due together are batched: one request per series. Default 1 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a feed's stream is back (from reconnecting or polling), wait this long before backfilling, so the venue has the bars. Default 5 s.</summary>
    public TimeSpan BackfillAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many bars a series are backfilled after one outage (the most recent ones). Default 500.</summary>
    public int MaxBackfillBars { get; set; } = 500;

    public TimeSpan OfficialAfterFor(string feed, bool daily) =>
        daily
            ? DailyOfficialAfterByFeed.TryGetValue(feed, out TimeSpan d) ? d : DailyOfficialAfter
            : OfficialAfterByFeed.TryGetValue(feed, out TimeSpan i) ? i : OfficialAfter;

    public void Validate()
    {
        if (FirstCheckAfter < TimeSpan.Zero || OfficialAfter < TimeSpan.Zero || DailyOfficialAfter < TimeSpan.Zero || BackfillAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstCheckAfter), "History:Reconciliation delays cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1, "History:Reconciliation:MaxConcurrentRequests");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackfillBars, 1, "History:Reconciliation:MaxBackfillBars");
        if (SweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SweepInterval), SweepInterval, "History:Reconciliation:SweepInterval must be positive.");
        }
    }
}
