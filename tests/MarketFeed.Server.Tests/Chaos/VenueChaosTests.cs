using System.Net;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>
/// The chaos half of the venue contract (the data half is <c>VenueContractTests</c> in MarketFeed.Tests): every venue
/// whose emulator takes the shared faults runs these scenarios through the real gateway. Each asserts what a user
/// sees — the feed's state and counters in <c>/api/status</c>, <c>/metrics</c>, <c>/readyz</c>, the instrument's
/// health (which colours its dashboard tile) — as well as the data. A venue without REST polling or credentials
/// says so through its <see cref="ChaosCapabilities"/> and those scenarios return early for it.
/// </summary>
public abstract class VenueChaosTests
{
    protected abstract ChaosCapabilities Capabilities { get; }

    protected abstract Task<ChaosVenue> StartAsync();

    /// <summary>The venue behind the gateway, for scenarios that must run apart from the rest (<see cref="OversizedFrameTests"/>).</summary>
    internal Task<ChaosVenue> OpenAsync() => StartAsync();

    [Fact]
    public async Task Drop_reconnects_resubscribes_and_status_metrics_and_readiness_say_so()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        venue.Drop();
        await ChaosVenue.WaitUntil(() => venue.Feed.Health.Reconnects >= 1 && venue.State == FeedState.Connected);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        JsonElement feed = await venue.FeedStatusAsync();
        Assert.Equal("connected", feed.GetProperty("state").GetString());
        Assert.True(feed.GetProperty("reconnects").GetInt64() >= 1);
        Assert.True(await venue.MetricAsync($"marketfeed_feed_reconnects_total{{feed=\"{venue.Feed.Name}\"}}") >= 1);
        Assert.Equal(1, await venue.MetricAsync($"marketfeed_feed_connected{{feed=\"{venue.Feed.Name}\"}}"));
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
    }

    [Fact]
    public async Task A_mute_venue_never_looks_connected_fails_over_to_rest_and_the_stream_takes_over_promptly_after()
    {
        if (!Capabilities.RestPolling)
        {
            return;
        }

        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        venue.Faults.Silent = true;
        await ChaosVenue.WaitUntil(() => venue.State != FeedState.Connected);
        var seen = new HashSet<FeedState>();
        using var sampling = new CancellationTokenSource();
        Task sampler = SampleStatesAsync(venue, seen, sampling.Token);

        await venue.WaitForStateAsync(FeedState.Polling, 10_000);
        List<Tick> polled = await ChaosVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Poll) >= 2);
        Assert.Contains(polled, t => t.Source == TickSource.Poll);
        Assert.Equal("polling", (await venue.FeedStatusAsync()).GetProperty("state").GetString());
        Assert.Equal("poll", (await venue.InstrumentStatusAsync(venue.First)).GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
        Assert.Equal(1, await venue.MetricAsync($"marketfeed_feed_state{{feed=\"{venue.Feed.Name}\",state=\"polling\"}}"));

        // A long silence: the backoff alone would have grown far past the recovery probe by now.
        await Task.Delay(TimeSpan.FromSeconds(14));
        await sampling.CancelAsync();
        await sampler;
        Assert.DoesNotContain(FeedState.Connected, seen);

        venue.Faults.Silent = false;
        DateTime lifted = DateTime.UtcNow;
        List<Tick> resumed = await ChaosVenue.CollectAsync(sub, t => t.Any(x => x.Source == TickSource.Stream));
        TimeSpan recovery = DateTime.UtcNow - lifted;
        Assert.True(recovery < TimeSpan.FromSeconds(4), $"the stream came back {recovery.TotalSeconds:0.0} s after the silence ended");
        await venue.WaitForStateAsync(FeedState.Connected, 5_000);

        // Once the stream delivers, polling is over: no poll tick lands after it.
        List<Tick> after = await ChaosVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Stream) >= 10);
        Assert.DoesNotContain(after, t => t.Source == TickSource.Poll);
    }

    [Fact]
    public async Task Rejected_credentials_show_auth_failed_everywhere_nothing_hammers_the_venue_and_new_credentials_recover_at_once()
    {
        if (!Capabilities.Credentials)
        {
            return;
        }

        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First);
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 2);
        string good = venue.Configuration[Capabilities.TokenKey]!;

        venue.Configuration[Capabilities.TokenKey] = "expired-token-value";
        venue.Drop();
        await venue.WaitForStateAsync(FeedState.AuthFailed);
        JsonElement feed = await venue.FeedStatusAsync();
        Assert.Equal("auth_failed", feed.GetProperty("state").GetString());
        string error = feed.GetProperty("lastError").GetString()!;
        Assert.Contains("credentials", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expired-token-value", error);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await venue.ReadyAsync());
        Assert.Equal(0, await venue.MetricAsync($"marketfeed_feed_connected{{feed=\"{venue.Feed.Name}\"}}"));
        Assert.Equal("error", (await venue.InstrumentStatusAsync(venue.First)).GetProperty("state").GetString());

        // Past the failover time REST is tried once too, then both wait out the auth retry delay: no 403 per second.
        await Task.Delay(TimeSpan.FromSeconds(3));
        long rejections = venue.AuthRejections();
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.True(venue.AuthRejections() - rejections <= 1, $"{venue.AuthRejections() - rejections} rejected calls in 5 s while auth_failed");
        Assert.Equal(FeedState.AuthFailed, venue.State);

        // Fixed and reloaded: no waiting out the 30 s retry delay.
        venue.Configuration[Capabilities.TokenKey] = good;
        DateTime fixedAt = DateTime.UtcNow;
        venue.Configuration.Reload();
        await venue.WaitForStateAsync(FeedState.Connected, 10_000);
        Assert.True(DateTime.UtcNow - fixedAt < TimeSpan.FromSeconds(5));
        await ChaosVenue.CollectAsync(sub, t => t.Any(x => x.Source == TickSource.Stream));
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
    }

    [Fact]
    public async Task With_the_stream_and_rest_both_down_the_feed_is_disconnected_not_polling_and_recovers_through_each()
    {
        if (!Capabilities.RestPolling)
        {
            return;
        }

        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First);
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 2);

        var changes = new System.Collections.Concurrent.ConcurrentQueue<FeedStateChange>();
        venue.Feed.Health.StateChanged += changes.Enqueue;
        venue.Faults.RestDown = true;
        venue.Faults.RefuseStream = true;
        venue.Drop();
        await venue.WaitForStateAsync(FeedState.Disconnected);
        JsonElement feed = await venue.FeedStatusAsync();
        Assert.Equal("disconnected", feed.GetProperty("state").GetString());

        // The change to disconnected says both are down (lastError then follows the newest failure, of either).
        Assert.Contains("REST", changes.Last(c => c.To == FeedState.Disconnected).Reason);
        Assert.False(string.IsNullOrEmpty(feed.GetProperty("lastError").GetString()));
        Assert.True(feed.GetProperty("pollFailures").GetInt64() >= 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await venue.ReadyAsync());
        Assert.Equal(0, await venue.MetricAsync($"marketfeed_feed_connected{{feed=\"{venue.Feed.Name}\"}}"));
        Assert.True(await venue.MetricAsync($"marketfeed_feed_poll_failures_total{{feed=\"{venue.Feed.Name}\"}}") >= 1);
        Assert.Equal("error", (await venue.InstrumentStatusAsync(venue.First)).GetProperty("state").GetString());

        venue.Faults.RestDown = false;
        await venue.WaitForStateAsync(FeedState.Polling);
        await ChaosVenue.CollectAsync(sub, t => t.Any(x => x.Source == TickSource.Poll));
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());

        venue.Faults.RefuseStream = false;
        await venue.WaitForStateAsync(FeedState.Connected);
        await ChaosVenue.CollectAsync(sub, t => t.Any(x => x.Source == TickSource.Stream));
    }

    [Fact]
    public async Task Rate_limited_rest_keeps_polling_within_the_limit()
    {
        if (!Capabilities.RestPolling)
        {
            return;
        }

        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First);
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 2);

        venue.Faults.RefuseStream = true;
        venue.Drop();
        await venue.WaitForStateAsync(FeedState.Polling);
        venue.Faults.RateLimitNext = 3;
        await ChaosVenue.WaitUntil(() => venue.Faults.RateLimitNext == 0);
        List<Tick> polled = await ChaosVenue.CollectAsync(sub, t => t.Count(x => x.Source == TickSource.Poll) >= 2);
        Assert.Equal(FeedState.Polling, venue.State);
        Assert.Equal("polling", (await venue.FeedStatusAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
        Assert.NotEmpty(polled);
    }

    [Fact]
    public async Task Odd_text_frames_are_counted_shown_safely_and_never_end_the_connection()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        long reconnects = venue.Feed.Health.Reconnects;
        venue.Faults.OddText = true;
        await ChaosVenue.WaitUntil(() => venue.Feed.Health.MalformedFrames >= 14);
        List<Tick> during = await ChaosVenue.CollectAsync(sub, t => t.Count >= 20);
        venue.Faults.OddText = false;

        Assert.Equal(reconnects, venue.Feed.Health.Reconnects);
        Assert.Equal(0, venue.Feed.Health.HandlerErrors);
        Assert.All(during, t => Assert.True(t.Ltp.HasValue ? t.Ltp.Raw > 0 : t.Bid.Raw > 0));
        JsonElement feed = await venue.FeedStatusAsync();
        Assert.Equal("connected", feed.GetProperty("state").GetString());
        Assert.True(feed.GetProperty("malformedFrames").GetInt64() >= 14);
        string error = feed.GetProperty("lastError").GetString() ?? "";
        Assert.True(error.Length <= FeedHealth.MaxErrorLength + 1, $"lastError is {error.Length} characters");
        Assert.DoesNotContain(error, char.IsControl);
        Assert.True(await venue.MetricAsync($"marketfeed_feed_frames_rejected_total{{feed=\"{venue.Feed.Name}\",reason=\"malformed\"}}") >= 14);
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
    }

    [Fact]
    public async Task Absurd_prices_are_counted_and_never_reach_the_quote_or_a_client_unflagged()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe([venue.First, venue.Second], new SubscriberOptions { Mode = FeedMode.Full });
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        venue.Faults.Absurd = true;

        // The fault distorts every other tick of an instrument, in turn its price, high/low and bid/ask, and a venue's
        // tick carries only some of those: on a loaded machine 24 ticks can hold none it could distort, so collect on
        // (bounded) until the hub has caught one.
        Func<long> caught = () => venue.Host.Hub.Quality() is { } q ? q.FlaggedOutlier + q.RejectedInconsistent : 0;
        List<Tick> during = await ChaosVenue.CollectAsync(sub, t => (t.Count >= 24 && caught() >= 1) || t.Count >= 400, 30_000);
        venue.Faults.Absurd = false;
        List<Tick> after = await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        Price absurd = Price.FromDecimal(10_000_000m);
        foreach (Tick t in during.Concat(after))
        {
            Assert.True(t.Ltp != absurd || (t.Flags & TickFlags.Outlier) != 0, "an absurd price was delivered unflagged");
            Assert.False(t.High.HasValue && t.Low.HasValue && t.High < t.Low, "high below low delivered");
            Assert.False(t.Bid.HasValue && t.Ask.HasValue && t.Bid > t.Ask, "crossed bid/ask delivered");
        }

        Assert.True(venue.Host.TryGetLatest(venue.First, out Tick latest));
        Assert.NotEqual(absurd, latest.Ltp);
        JsonElement quality = (await venue.GetJsonAsync("/api/status")).GetProperty("quality");
        Assert.True(quality.GetProperty("outliers").GetInt64() + quality.GetProperty("rejectedInconsistent").GetInt64() >= 1);
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
    }

    [Fact]
    public async Task A_jump_in_the_venues_clock_does_not_freeze_the_instrument()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe([venue.First], new SubscriberOptions { Mode = FeedMode.Full });
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 3);

        venue.Faults.TimeShiftSeconds = 300;
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 3);
        venue.Faults.TimeShiftSeconds = 0;
        await ChaosVenue.CollectAsync(sub, t => t.Count >= 2);

        List<Tick> after = await ChaosVenue.CollectAsync(sub, t => t.Count >= 10);
        Assert.All(after, t => Assert.Equal(TickFlags.None, t.Flags & TickFlags.OutOfOrder));
        Assert.True(venue.Host.TryGetLatest(venue.First, out Tick latest));

        // The quote follows the stream (it may already hold a tick newer than the last one collected).
        Assert.True(latest.Seq >= after[^1].Seq, $"the quote is at seq {latest.Seq}, behind the stream's {after[^1].Seq}");
        Assert.True(latest.ExchangeTime < DateTime.UtcNow.AddSeconds(30), $"the quote is stamped {latest.ExchangeTime:O}");
        Assert.Contains((await venue.InstrumentStatusAsync(venue.First)).GetProperty("state").GetString(), new[] { "live", "closed" });

        // While its session is open the instrument builds candles: none may have been opened in the future.
        using HttpResponseMessage current = await venue.Http.GetAsync($"/api/candles/{Uri.EscapeDataString(venue.First)}/current?interval=1m");
        if (current.StatusCode == HttpStatusCode.OK)
        {
            JsonElement candle = JsonDocument.Parse(await current.Content.ReadAsStringAsync()).RootElement;
            Assert.True(candle.GetProperty("start").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddSeconds(5), "a candle opened in the future");
        }
    }

    [Fact]
    public async Task Malformed_frames_are_counted_and_skipped_and_the_good_ones_still_deliver()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));

        long reconnects = venue.Feed.Health.Reconnects;
        venue.Faults.Malformed = true;
        await ChaosVenue.WaitUntil(() => venue.Feed.Health.MalformedFrames >= 3);
        List<Tick> during = await ChaosVenue.CollectAsync(sub, BothArrived(venue));
        venue.Faults.Malformed = false;

        Assert.Equal(reconnects, venue.Feed.Health.Reconnects);
        Assert.All(during, t => Assert.True(t.Ltp.HasValue ? t.Ltp.Raw > 0 : t.Bid.Raw > 0));
        Assert.True((await venue.FeedStatusAsync()).GetProperty("malformedFrames").GetInt64() >= 3);
        Assert.Equal(HttpStatusCode.OK, await venue.ReadyAsync());
    }

    [Fact]
    public async Task Across_drops_every_price_is_one_the_venue_sent_for_that_very_instrument()
    {
        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        var received = new List<Tick>();
        for (int round = 0; round < 3; round++)
        {
            received.AddRange(await ChaosVenue.CollectAsync(sub, t => t.Count >= 10 && BothArrived(venue)(t)));
            venue.Drop();
            await ChaosVenue.WaitUntil(() => venue.Feed.Health.Reconnects > round);
        }

        received.AddRange(await ChaosVenue.CollectAsync(sub, t => t.Count >= 10));
        foreach (Tick tick in received.Where(t => t.Ltp.HasValue && (t.Updates & TickFields.Trade) != 0))
        {
            string symbol = venue.Host.Instruments.Get(tick.Instrument).Symbol;
            Assert.True(venue.SentPrices.TryGetValue(symbol, out var sent) && sent.ContainsKey(tick.Ltp.Raw), $"{symbol} got {tick.Ltp}, a price the venue never sent for it");
        }

        Assert.All(received.GroupBy(t => t.Instrument), g => Assert.True(g.Zip(g.Skip(1)).All(p => p.Second.Seq > p.First.Seq)));
    }

    [Fact]
    public async Task A_gap_in_a_book_resyncs_that_book_alone_without_dropping_the_connection()
    {
        if (!Capabilities.Books)
        {
            return;
        }

        await using ChaosVenue venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe([venue.First, venue.Second], new SubscriberOptions { Mode = FeedMode.Full });
        InstrumentId first = venue.Host.Resolve(venue.First).Id;
        InstrumentId second = venue.Host.Resolve(venue.Second).Id;
        await ChaosVenue.WaitUntil(() => venue.Host.Hub.GetBookAsync(first, 5).Result?.State == Books.BookState.Synced
            && venue.Host.Hub.GetBookAsync(second, 5).Result?.State == Books.BookState.Synced);
        long snapshots = venue.Feed.Health.BookSnapshots;
        long reconnects = venue.Feed.Health.Reconnects;

        venue.SetFaults(Capabilities.BookGapFault);
        // A venue with checksums instead of sequence numbers detects the loss as a checksum failure.
        await ChaosVenue.WaitUntil(() => venue.Host.Hub.GetBookAsync(first, 5).Result is { Resyncs: >= 1, State: Books.BookState.Synced } b && b.Gaps + b.ChecksumFailures >= 1);
        Assert.True(venue.Feed.Health.BookSnapshots > snapshots);
        Assert.Equal(reconnects, venue.Feed.Health.Reconnects);
        Books.BookView book = (await venue.Host.Hub.GetBookAsync(first, 5))!;
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        await ChaosVenue.CollectAsync(sub, BothArrived(venue));
    }

    private static Func<List<Tick>, bool> BothArrived(ChaosVenue venue)
    {
        InstrumentId first = venue.Host.Resolve(venue.First).Id;
        InstrumentId second = venue.Host.Resolve(venue.Second).Id;
        return t => t.Any(x => x.Instrument == first) && t.Any(x => x.Instrument == second);
    }

    private static async Task SampleStatesAsync(ChaosVenue venue, HashSet<FeedState> seen, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            seen.Add(venue.State);
            await Task.Delay(20, CancellationToken.None);
        }
    }
}

/// <summary>What a venue's chaos run can exercise.</summary>
/// <param name="RestPolling">The feed falls back to REST polling (and the emulator can refuse, mute and take down REST).</param>
/// <param name="Credentials">The venue needs credentials; <paramref name="TokenKey"/> is the configuration key of the one to break.</param>
/// <param name="Books">The venue sends order books; <paramref name="BookGapFault"/> is the emulator's fault that skips a book update.</param>
public sealed record ChaosCapabilities(bool RestPolling, bool Credentials, string TokenKey = "", bool Books = false, string BookGapFault = "");
