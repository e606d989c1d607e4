using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Chains;

/// <summary>
/// Option chains of a <see cref="MarketFeedHost"/> (<see cref="MarketFeedHost.Chains"/>): what is listed, chains you
/// open and own, and shared chains the gateway's API and streams read (kept live until the host stops).
/// </summary>
public sealed class ChainService : IAsyncDisposable
{
    private readonly MarketFeedHost _host;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Feed, string Underlying, DateOnly Expiry, int Strikes, FeedMode Mode), LiveChain> _shared = [];
    private bool _disposed;

    internal ChainService(MarketFeedHost host, ChainOptions options, ILoggerFactory loggerFactory)
    {
        _host = host;
        Options = options;
        _loggerFactory = loggerFactory;
    }

    public ChainOptions Options { get; }

    /// <summary>The option roots listed ("NIFTY", "BANKNIFTY").</summary>
    public IReadOnlyList<string> Underlyings() => ChainCatalog.Roots(_host.Instruments);

    /// <inheritdoc cref="ChainCatalog.List"/>
    public IReadOnlyList<ChainListing> List() => ChainCatalog.List(_host.Instruments);

    /// <inheritdoc cref="ChainCatalog.Expiries"/>
    public IReadOnlyList<DateOnly> Expiries(string underlying) => ChainCatalog.Expiries(_host.Instruments, underlying);

    /// <summary>The chain of <paramref name="underlying"/> for <paramref name="expiry"/> (<c>yyyy-MM-dd</c>; null: the nearest not yet expired).</summary>
    /// <exception cref="NoOptionsException">Nothing lists options on it.</exception>
    /// <exception cref="UnknownExpiryException">No strikes are listed for that expiry.</exception>
    public ChainDefinition Define(string underlying, string? expiry = null) =>
        ChainCatalog.Define(_host.Instruments, underlying, expiry, _host.Time.GetUtcNow().UtcDateTime, Options.ExpiryTime);

    /// <summary>
    /// Opens a live chain you own (dispose it to unsubscribe): ± <paramref name="strikesEachSide"/> strikes around the
    /// money (default <see cref="ChainOptions.StrikesEachSide"/>), subscribed in <paramref name="mode"/>.
    /// </summary>
    public LiveChain Open(string underlying, string? expiry = null, int? strikesEachSide = null, FeedMode mode = FeedMode.Quote) =>
        Open(Define(underlying, expiry), CheckStrikes(strikesEachSide), mode);

    /// <summary>
    /// The shared live chain for these arguments, opened on first use and kept until the host stops (at most
    /// <see cref="ChainOptions.MaxSharedChains"/>); the API and streams read it, nobody disposes it.
    /// </summary>
    /// <exception cref="InvalidOperationException">As many shared chains as allowed are already open.</exception>
    public LiveChain Shared(string underlying, string? expiry = null, int? strikesEachSide = null, FeedMode mode = FeedMode.Quote)
    {
        int each = CheckStrikes(strikesEachSide);
        ChainDefinition definition = Define(underlying, expiry);
        var key = (definition.Feed, definition.UnderlyingSymbol, definition.Expiry, each, mode);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_shared.TryGetValue(key, out LiveChain? chain))
            {
                return chain;
            }

            if (_shared.Count >= Options.MaxSharedChains)
            {
                throw new InvalidOperationException(
                    $"{_shared.Count} chains are already live (Chains:MaxSharedChains); ask for one of those ({string.Join(", ", _shared.Values.Select(Describe))}) or raise the limit");
            }

            chain = Open(definition, each, mode);
            _shared[key] = chain;
            return chain;
        }
    }

    /// <summary>The shared chains open now.</summary>
    public IReadOnlyList<LiveChain> Live()
    {
        lock (_gate)
        {
            return [.. _shared.Values];
        }
    }

    public async ValueTask DisposeAsync()
    {
        LiveChain[] chains;
        lock (_gate)
        {
            _disposed = true;
            chains = [.. _shared.Values];
            _shared.Clear();
        }

        foreach (LiveChain chain in chains)
        {
            await chain.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Describe(LiveChain chain) => $"{chain.Definition.Root} {chain.Definition.Expiry:yyyy-MM-dd} ±{chain.StrikesEachSide}";

    private LiveChain Open(ChainDefinition definition, int strikesEachSide, FeedMode mode) =>
        new(_host, definition, strikesEachSide, mode, Options, _loggerFactory.CreateLogger<LiveChain>());

    private int CheckStrikes(int? strikesEachSide)
    {
        int each = strikesEachSide ?? Options.StrikesEachSide;
        if (each < 1 || each > Options.MaxStrikesEachSide)
        {
            throw new ArgumentOutOfRangeException(nameof(strikesEachSide), each, $"strikes (each side of the money) must be 1 to {Options.MaxStrikesEachSide}");
        }

        return each;
    }
}
