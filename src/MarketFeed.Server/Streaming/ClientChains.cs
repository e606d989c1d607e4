using System.Buffers;
using System.Text.Json;
using MarketFeed.Chains;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// A streaming client's option chains: <c>{"op":"subscribe","symbols":["NIFTY"],"channels":["chain"]}</c> (or
/// <c>chain:EXPIRY</c>, <c>chain:EXPIRY:STRIKES</c>, <c>chain:EXPIRY:STRIKES:MODE</c>, EXPIRY <c>nearest</c> and an empty
/// STRIKES for the defaults). Each chain is read
/// through its own conflating reader; the session's writer sends what is pending on each pass (a snapshot, then the
/// strikes that changed, with sequence numbers), so a slow client skips to the latest values and never holds the chain up.
/// </summary>
internal sealed class ClientChains(MarketFeedHost host, Action wake) : IDisposable
{
    private const string Channel = "chain";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChainReader> _readers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>Whether a request is about chains (then every channel of it must be a chain channel).</summary>
    public static bool IsChainRequest(IReadOnlyList<string> channels)
    {
        bool any = channels.Any(IsChainChannel);
        if (any && !channels.All(IsChainChannel))
        {
            throw new ClientRequestException("the chain channel cannot be combined with other channels in one request: send it on its own");
        }

        return any;
    }

    /// <summary>Checks a chain request made in the URL (SSE) before the stream starts.</summary>
    /// <exception cref="NoOptionsException">An underlying has no options.</exception>
    /// <exception cref="UnknownExpiryException">An expiry is not listed.</exception>
    /// <exception cref="ClientRequestException">A channel is malformed.</exception>
    public static void Validate(MarketFeedHost host, IReadOnlyList<string> underlyings, IReadOnlyList<string> channels)
    {
        foreach (string underlying in underlyings)
        {
            foreach (string channel in channels)
            {
                host.Chains.Define(underlying, Parse(channel, host.Chains.Options).Expiry);
            }
        }
    }

    /// <summary>
    /// Starts streaming the chains asked for (all or none). <paramref name="acknowledge"/> gets their keys (root and
    /// expiry) before any reader exists, so the ack it queues goes out before the first snapshot.
    /// </summary>
    public void Subscribe(IReadOnlyList<string> underlyings, IReadOnlyList<string> channels, Action<IReadOnlyList<string>> acknowledge)
    {
        if (underlyings.Count == 0)
        {
            throw new ClientRequestException("give at least one underlying, e.g. \"symbols\":[\"NIFTY\"]");
        }

        var opened = new List<(string Key, LiveChain Chain)>();
        foreach (string underlying in underlyings)
        {
            foreach (string channel in channels)
            {
                (string? expiry, int? strikes, FeedMode mode) = Parse(channel, host.Chains.Options);
                ChainDefinition definition = Define(host, underlying, expiry);
                LiveChain chain;
                try
                {
                    chain = host.Chains.Shared(underlying, expiry, strikes, mode);
                }
                catch (InvalidOperationException e)
                {
                    throw new ClientRequestException(e.Message);
                }

                opened.Add((Key(definition), chain));
            }
        }

        acknowledge([.. opened.Select(o => o.Key)]);
        lock (_gate)
        {
            foreach ((string key, LiveChain chain) in opened)
            {
                if (_readers.Remove(key, out ChainReader? previous))
                {
                    previous.Dispose();
                }

                _readers[key] = chain.OpenReader(wake);
            }
        }

        wake();
    }

    /// <summary>Stops the chains of these underlyings (every expiry); returns the keys stopped.</summary>
    public IReadOnlyList<string> Unsubscribe(IReadOnlyList<string> underlyings)
    {
        var stopped = new List<string>();
        lock (_gate)
        {
            foreach ((string key, ChainReader reader) in _readers.ToArray())
            {
                ChainDefinition definition = reader.Chain.Definition;
                if (underlyings.Any(u => string.Equals(u.Trim(), definition.Root, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(u.Trim(), definition.UnderlyingSymbol, StringComparison.OrdinalIgnoreCase)))
                {
                    reader.Dispose();
                    _readers.Remove(key);
                    stopped.Add(key);
                }
            }
        }

        return stopped;
    }

    /// <summary>Whether a chain has something to send (checked before the writer sleeps, so no change is left waiting).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _readers.Values.Any(r => r.HasPending);
            }
        }
    }

    /// <summary>Sends every chain view pending (writer loop only). Returns how many went out.</summary>
    public async Task<long> SendPendingAsync(IClientTransport transport, CancellationToken cancellationToken)
    {
        ChainReader[] readers;
        lock (_gate)
        {
            if (_readers.Count == 0)
            {
                return 0;
            }

            readers = [.. _readers.Values];
        }

        long sent = 0;
        foreach (ChainReader reader in readers)
        {
            if (reader.TryRead() is not { } view)
            {
                continue;
            }

            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer, JsonValues.WriterOptions))
            {
                ChainJson.Write(writer, view, host.Chains.Options.RiskFreeRate);
            }

            await transport.SendAsync(Channel, _buffer.WrittenMemory, cancellationToken);
            sent++;
        }

        return sent;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (ChainReader reader in _readers.Values)
            {
                reader.Dispose();
            }

            _readers.Clear();
        }
    }

    private static bool IsChainChannel(string channel) => channel == Channel || channel.StartsWith(Channel + ":", StringComparison.Ordinal);

    private static string Key(ChainDefinition definition) => $"{definition.Root}:{definition.Expiry:yyyy-MM-dd}";

    private static ChainDefinition Define(MarketFeedHost host, string underlying, string? expiry)
    {
        try
        {
            return host.Chains.Define(underlying, expiry);
        }
        catch (Exception e) when (e is NoOptionsException or UnknownExpiryException)
        {
            throw new ClientRequestException(e.Message);
        }
    }

    private static (string? Expiry, int? Strikes, FeedMode Mode) Parse(string channel, ChainOptions options)
    {
        const string Usage = "use chain, chain:EXPIRY, chain:EXPIRY:STRIKES or chain:EXPIRY:STRIKES:MODE (e.g. chain:2026-11-24:10, chain:nearest:5, chain:nearest::full)";
        string[] parts = channel.Split(':');
        if (parts.Length > 4)
        {
            throw new ClientRequestException($"channel '{channel}' is not valid: {Usage}");
        }

        string? expiry = parts.Length > 1 && parts[1] is not ("" or "nearest") ? parts[1] : null;
        int? strikes = null;
        if (parts.Length >= 3 && parts[2].Length > 0)
        {
            if (!int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int each)
                || each < 1 || each > options.MaxStrikesEachSide)
            {
                throw new ClientRequestException($"channel '{channel}': strikes must be a whole number from 1 to {options.MaxStrikesEachSide}");
            }

            strikes = each;
        }

        FeedMode mode = FeedMode.Quote;
        if (parts.Length == 4 && !Api.MarketDataApi.TryParseMode(parts[3], out mode))
        {
            throw new ClientRequestException($"channel '{channel}': mode must be ltp, quote or full");
        }

        return (expiry, strikes, mode);
    }
}
