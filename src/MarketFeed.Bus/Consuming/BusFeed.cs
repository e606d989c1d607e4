using System.Collections.Concurrent;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Bus.Consuming;

/// <summary>
/// <c>--feed bus</c>: a gateway (or in-process host) takes its data from the bus instead of a venue, so candles, the
/// API, the dashboard and the journal work as with any feed. At start it reads each shard from
/// <see cref="BusOptions.StartFrom"/> to learn the instruments (their definitions travel on the bus), then reads again
/// from there, publishing into the hub: the latest state of every instrument and everything since, without a gap.
/// Sequence gaps are reported per instrument; damaged messages and unknown contract versions are counted, skipped and
/// reported once; a producer that falls silent or stops puts its instruments in <c>error</c>.
/// </summary>
public sealed partial class BusFeed : IFeed, IBusStatusSource, IRelayedFeed
{
    public const string FeedName = "bus";
    private const int RecentGapsKept = 20;

    private readonly BusOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<int> _shards;
    private readonly ConcurrentDictionary<string, InstrumentId> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<BusGap> _recentGaps = new();
    private readonly ConcurrentDictionary<string, byte> _reportedSkips = new(StringComparer.Ordinal);
    private readonly HashSet<string>? _venues;
    private readonly HashSet<BusChannel>? _channels;
    private readonly FeedLatency _latency;
    private InstrumentRegistry? _registry;
    private FeedContext? _context;
    private BusConnection? _connection;
    private ILogger _logger = NullLogger.Instance;
    private readonly List<ShardConsumer> _consumers = [];
    private string? _lastSkipped;
    private double _rate;

    public BusFeed(BusOptions options, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _time = time;
        _shards = options.OwnedShards();
        Health = new FeedHealth(FeedName, time);
        Producers = new ProducerTracker(options.ProducerTimeout);
        _latency = new FeedLatency(FeedName, _shards.Count);
        _venues = List(options.Venues) is { Count: > 0 } venues ? new HashSet<string>(venues, StringComparer.OrdinalIgnoreCase) : null;
        _channels = List(options.Channels) is { Count: > 0 } channels ? [.. channels.Select(Channel)] : null;
    }

    public string Name => FeedName;

    /// <inheritdoc cref="BusOptions.CandleGrace"/>
    public TimeSpan RelayGrace => _options.CandleGrace;

    /// <summary>When <see cref="RunAsync"/> began reading (batches sent before it are history).</summary>
    internal DateTime StartedAt { get; private set; } = DateTime.MaxValue;

    public FeedHealth Health { get; }

    internal ConsumeCounters Counters { get; } = new();

    internal ProducerTracker Producers { get; }

    /// <summary>The latest state of every instrument read, for a subscriber that arrives later.</summary>
    internal ConcurrentDictionary<InstrumentId, Tick> Latest { get; } = new();

    /// <summary>What each instrument's producer said about it (its own health), null when fine.</summary>
    internal ConcurrentDictionary<InstrumentId, string?> ProducerErrors { get; } = new();

    /// <summary>Re-subscriptions after a connection recovery that resumed at the next offset, and deliveries read twice anyway.</summary>
    internal (int Resumed, long Redelivered) Recovery => (_consumers.Sum(c => c.Resumed), _consumers.Sum(c => c.Redelivered));

    internal long CandleCloses;
    internal long CandleRevisions;

    /// <summary>Candle closes and revisions received from producers.</summary>
    public (long Closes, long Revisions) Candles => (Interlocked.Read(ref CandleCloses), Interlocked.Read(ref CandleRevisions));

    public BusStatus BusStatus()
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        var consume = new BusConsumeStatus(
            _shards,
            Interlocked.Read(ref Counters.Events),
            Math.Round(Volatile.Read(ref _rate), 1),
            Interlocked.Read(ref Counters.Batches),
            Interlocked.Read(ref Counters.Gaps),
            Interlocked.Read(ref Counters.Duplicates),
            Interlocked.Read(ref Counters.Rewinds),
            Interlocked.Read(ref Counters.Damaged),
            Interlocked.Read(ref Counters.UnknownVersion),
            _lastSkipped,
            _latency.LastMinute(now),
            Producers.Report(now),
            [.. _recentGaps]);
        return new BusStatus("consumer", _connection?.State ?? "connecting", _options.RedactedUrl, _options.EffectiveGatewayId, _connection?.Error ?? Health.LastError, null, consume);
    }

    /// <summary>
    /// Reads every shard from <see cref="BusOptions.StartFrom"/> until it has caught up with its producer (or
    /// <see cref="BusOptions.LoadTimeout"/>), registering the instruments defined there. A broker that cannot be reached
    /// is not fatal: the reason is in health, and instruments defined later are registered as they arrive.
    /// </summary>
    public async Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        _registry = registry;
        await using var connection = new BusConnection(_options, "consumer-load", _time, NullLogger.Instance);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        DateTime started = _time.GetUtcNow().UtcDateTime;
        var progress = new ConcurrentDictionary<int, (DateTime LastSent, long LastAt)>();
        var consumers = _shards.Select(shard =>
        {
            var reader = new BusBatchReader();
            var visitor = new DefinitionVisitor(this);
            return new ShardConsumer(shard, _options, connection, StartOffset.Parse(_options.StartFrom), (body, _) =>
            {
                try
                {
                    BusBatchHeader header = reader.Read(body.Span, visitor);
                    progress[shard] = (header.SentAt, _time.GetTimestamp());
                }
                catch (BusContractException)
                {
                    progress[shard] = (progress.GetValueOrDefault(shard).LastSent, _time.GetTimestamp());
                }

                return ValueTask.CompletedTask;
            }, NullLogger.Instance);
        }).ToList();
        List<Task> runs = [.. consumers.Select(c => Task.Run(() => c.RunAsync(reading.Token), CancellationToken.None))];
        long begun = _time.GetTimestamp();
        TimeSpan idle = TimeSpan.FromSeconds(1.5);
        while (_time.GetElapsedTime(begun) < _options.LoadTimeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
            bool caughtUp = connection.State == "connected" && _time.GetElapsedTime(begun) >= idle && _shards.All(shard =>
                progress.TryGetValue(shard, out var p)
                    ? p.LastSent >= started - TimeSpan.FromSeconds(1) || _time.GetElapsedTime(p.LastAt) >= idle
                    : _time.GetElapsedTime(begun) >= 2 * idle);
            if (caughtUp)
            {
                break;
            }
        }

        await reading.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(runs).ConfigureAwait(false);
        if (connection.State != "connected" && connection.Error is { } error)
        {
            Health.RecordError(error);
            Health.SetState(error.Contains("refused the user name", StringComparison.Ordinal) ? FeedState.AuthFailed : FeedState.Disconnected, error);
        }
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        _context = context;
        StartedAt = _time.GetUtcNow().UtcDateTime;
        _registry ??= context.Registry;
        _logger = context.Logger;
        List<ShardConsumer> consumers = _consumers;
        _connection = new BusConnection(_options, "consumer", _time, _logger, connection =>
        {
            connection.RecoveringConsumerAsync += async (sender, args) =>
            {
                foreach (ShardConsumer consumer in consumers)
                {
                    await consumer.OnRecoveringConsumerAsync(sender, args).ConfigureAwait(false);
                }
            };
            return Task.CompletedTask;
        });
        Health.SetState(FeedState.Connecting);
        context.Subscriptions.Changed += OnDesiredChanged;
        for (int i = 0; i < _shards.Count; i++)
        {
            var visitor = new ApplyVisitor(this, i);
            var reader = new BusBatchReader();
            int shard = _shards[i];
            consumers.Add(new ShardConsumer(shard, _options, _connection, StartOffset.Parse(_options.StartFrom), (body, offset) => ApplyAsync(shard, reader, visitor, body, offset), _logger));
        }

        LogStarting(_logger, string.Join(',', _shards), _options.Name, _options.StartFrom, _options.RedactedUrl);
        await WaitForSubscribersAsync(context, cancellationToken).ConfigureAwait(false);
        List<Task> runs = [.. consumers.Select(c => Task.Run(() => c.RunAsync(cancellationToken), CancellationToken.None))];
        try
        {
            await WatchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.Subscriptions.Changed -= OnDesiredChanged;
            await Task.WhenAll(runs).ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
            Health.SetConnections(0);
            Health.SetState(FeedState.Stopped);
        }
    }

    public Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken) => BusDoctor.CheckAsync(_options, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal bool WantsVenue(string venue) => _venues is null || venue == "-" || _venues.Contains(venue);

    internal bool WantsChannel(BusChannel channel) => _channels is null || _channels.Contains(channel);

    internal bool IsWanted(InstrumentId id) => _context?.Subscriptions.IsWanted(id) ?? false;

    internal bool TryResolve(string symbol, out InstrumentId id)
    {
        if (_ids.TryGetValue(symbol, out id))
        {
            return true;
        }

        Health.CountUnknownInstrument();
        return false;
    }

    /// <summary>Registers an instrument defined on the bus (once per symbol), as an instrument of this feed.</summary>
    internal InstrumentId Define(Instrument definition)
    {
        if (_ids.TryGetValue(definition.Symbol, out InstrumentId known) || _registry is null)
        {
            return known;
        }

        lock (_ids)
        {
            if (_ids.TryGetValue(definition.Symbol, out known))
            {
                return known;
            }

            if (_registry.TryGetBySymbol(definition.Symbol, out Instrument? existing) && existing.Feed == FeedName)
            {
                _ids[definition.Symbol] = existing.Id;
                return existing.Id;
            }

            InstrumentId id = _registry.Register(definition with { Id = default, Feed = FeedName, NativeKey = definition.Symbol }).Id;
            _ids[definition.Symbol] = id;
            return id;
        }
    }

    internal void RecordLatency(int slot, DateTime receivedAtProducer)
    {
        if (receivedAtProducer.Ticks != 0)
        {
            _latency.Record(slot, receivedAtProducer, _time.GetUtcNow().UtcDateTime);
        }
    }

    internal void ReportGap(string symbol, string channel, string producer, long from, long to)
    {
        Interlocked.Increment(ref Counters.Gaps);
        _recentGaps.Enqueue(new BusGap(symbol, channel, producer, from, to, _time.GetUtcNow().UtcDateTime));
        while (_recentGaps.Count > RecentGapsKept && _recentGaps.TryDequeue(out _))
        {
        }

        LogGap(_logger, symbol, channel, from, to, producer);
    }

    internal void ReportRewind(string symbol, string channel, string producer, long seq, long last)
    {
        Interlocked.Increment(ref Counters.Rewinds);
        LogRewound(_logger, symbol, channel, producer, seq, last);
    }

    private async ValueTask ApplyAsync(int shard, BusBatchReader reader, ApplyVisitor visitor, ReadOnlyMemory<byte> body, long offset)
    {
        try
        {
            reader.Read(body.Span, visitor);
        }
        catch (BusContractException e)
        {
            Interlocked.Increment(ref e.UnknownVersion ? ref Counters.UnknownVersion : ref Counters.Damaged);
            string what = $"{BusContract.StreamName(_options.Name, shard)} offset {offset}: {e.Message}";
            _lastSkipped = what;
            Health.CountMalformedFrame();

            // Reported once per kind of problem (a version, or damage), not once per message.
            string kind = e.UnknownVersion ? e.Message.Split(':')[0] : "damaged";
            if (_reportedSkips.TryAdd(kind, 0))
            {
                LogSkipped(_logger, what);
            }
        }

        try
        {
            foreach ((Tick tick, Books.BookUpdate? book) in visitor.Pending)
            {
                if (book is not null)
                {
                    await _context!.Sink.PublishAsync(book).ConfigureAwait(false);
                }
                else
                {
                    await _context!.Sink.PublishAsync(tick).ConfigureAwait(false);
                }
            }

            foreach ((InstrumentId id, CandleInterval interval, Candle bar) in visitor.Revisions)
            {
                await _context!.Sink.ApplyCandleRevisionsAsync(_context.Registry.Get(id), interval, [bar], CancellationToken.None).ConfigureAwait(false);
            }

            Health.CountMessages();
        }
        finally
        {
            visitor.Pending.Clear();
            visitor.Revisions.Clear();
        }
    }

    private static BusChannel Channel(string word) =>
        Enum.GetValues<BusChannel>().Where(c => BusContract.ChannelWord(c) == word.ToLowerInvariant()).Select(c => (BusChannel?)c).FirstOrDefault()
            ?? throw new FeedConfigurationException($"Bus:Channels takes tick, book, candle and state, not '{word}'");

    private static List<string> List(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    [LoggerMessage(Level = LogLevel.Information, Message = "bus consumer: reading shards {Shards} of bus {Bus} from {StartFrom} at {Url}")]
    private static partial void LogStarting(ILogger logger, string shards, string bus, string startFrom, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus consumer: sequence gap on {Symbol} {Channel}: {From}..{To} never arrived from {Producer}")]
    private static partial void LogGap(ILogger logger, string symbol, string channel, long from, long to, string producer);

    [LoggerMessage(Level = LogLevel.Information, Message = "bus consumer: {Symbol} {Channel} numbered again from {Seq} by {Producer}, at or below {Last} already seen (a restart whose saved marks trailed, or another gateway taking the shard over)")]
    private static partial void LogRewound(ILogger logger, string symbol, string channel, string producer, long seq, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus consumer: skipped a message (counted; reported once per kind): {What}")]
    private static partial void LogSkipped(ILogger logger, string what);
}
