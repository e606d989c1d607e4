using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MarketFeed.Emulators.Faults;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>
/// A venue under chaos: its emulator (faults switched through the shared <see cref="EmulatorFaults"/>), its feed in a
/// host, and the real gateway over it, so a scenario can check what a user sees — status, /metrics, /readyz — as
/// well as the data. Timings are short so faults play out in seconds.
/// </summary>
public sealed class ChaosVenue : IAsyncDisposable
{
    private readonly Func<ValueTask> _disposeVenue;

    public ChaosVenue(Gateway gateway, IFeed feed, EmulatorFaults faults, IConfigurationRoot configuration, string first, string second, Func<int> drop, Func<long> authRejections, Func<ValueTask> disposeVenue)
    {
        SetFaults = faults.Apply;
        Gateway = gateway;
        Feed = feed;
        Faults = faults;
        Configuration = configuration;
        First = first;
        Second = second;
        Drop = drop;
        AuthRejections = authRejections;
        _disposeVenue = disposeVenue;
        Http = new HttpClient { BaseAddress = gateway.Address };
    }

    /// <summary>The stream settings every venue's chaos run uses (bound from <c>{Venue}:Stream</c>).</summary>
    public static IReadOnlyDictionary<string, string?> StreamSettings(string section) => new Dictionary<string, string?>
    {
        [$"{section}:Stream:IdleTimeout"] = "00:00:01",
        [$"{section}:Stream:ReconnectBaseDelay"] = "00:00:00.200",
        [$"{section}:Stream:ReconnectMaxDelay"] = "00:00:20",
        [$"{section}:Stream:AuthRetryDelay"] = "00:00:30",
        [$"{section}:Stream:FailoverAfter"] = "00:00:02",
        [$"{section}:Stream:RecoveryProbeInterval"] = "00:00:01",
        [$"{section}:Stream:MaxFrameBytes"] = "1048576",
    };

    public Gateway Gateway { get; }

    public MarketFeedHost Host => Gateway.Host;

    public IFeed Feed { get; }

    public EmulatorFaults Faults { get; }

    /// <summary>Live configuration: the access token can be changed, then <c>Reload()</c> tells the feed.</summary>
    public IConfigurationRoot Configuration { get; }

    public string First { get; }

    public string Second { get; }

    /// <summary>Aborts every stream connection at the emulator; returns how many.</summary>
    public Func<int> Drop { get; }

    /// <summary>How many stream upgrades and REST calls the emulator answered with 403 so far.</summary>
    public Func<long> AuthRejections { get; }

    public HttpClient Http { get; }

    /// <summary>Applies a fault spec through the emulator (venue-specific fault names included, e.g. a depth gap).</summary>
    public Action<string> SetFaults { get; init; }


    /// <summary>Every last price the emulator sent, by symbol: what the feed's ticks are checked against for mixing.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> SentPrices { get; } = new();

    /// <summary>Called by the venue's emulator hook for each price it sends.</summary>
    public void RecordSent(string symbol, Price ltp) => SentPrices.GetOrAdd(symbol, _ => new()).TryAdd(ltp.Raw, 0);

    public FeedState State => Feed.Health.State;

    public async Task<JsonElement> FeedStatusAsync()
    {
        JsonElement status = await GetJsonAsync("/api/status");
        return status.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("feed").GetString() == Feed.Name);
    }

    public async Task<JsonElement> InstrumentStatusAsync(string symbol)
    {
        JsonElement status = await GetJsonAsync("/api/status");
        return status.GetProperty("instruments").EnumerateArray().Single(i => i.GetProperty("symbol").GetString() == symbol);
    }

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await Http.GetStringAsync(path)).RootElement.Clone();

    public async Task<HttpStatusCode> ReadyAsync()
    {
        using HttpResponseMessage response = await Http.GetAsync("/readyz");
        return response.StatusCode;
    }

    /// <summary>One sample of a Prometheus metric whose line starts with <paramref name="series"/> (name and labels as printed).</summary>
    public async Task<double> MetricAsync(string series)
    {
        string text = await Http.GetStringAsync("/metrics");
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public Task WaitForStateAsync(FeedState state, int timeoutMs = 20_000) =>
        WaitUntil(() => State == state, timeoutMs, () => $"feed is {State} ({Feed.Health.LastError}), expected {state}");

    public static async Task WaitUntil(Func<bool> condition, int timeoutMs = 20_000, Func<string>? why = null)
    {
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(why?.Invoke() ?? "condition not met in time");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Ticks of <paramref name="subscription"/> until <paramref name="done"/> holds.</summary>
    public static async Task<List<Tick>> CollectAsync(MarketSubscription subscription, Func<List<Tick>, bool> done, int timeoutMs = 20_000)
    {
        var ticks = new List<Tick>();
        using var timeout = new CancellationTokenSource(timeoutMs);
        await foreach (Tick tick in subscription.Ticks(timeout.Token))
        {
            ticks.Add(tick);
            if (done(ticks))
            {
                break;
            }
        }

        return ticks;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Gateway.Host.DisposeAsync();
        await _disposeVenue();
    }
}
