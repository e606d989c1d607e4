using System.Net.WebSockets;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// The emulator's loop, every 10 ms: steps the market, sends each connection what its channels carry (trades,
/// tickers on a changed top of book, book updates diffed against what it holds), a heartbeat to a subscribed
/// connection quiet for a second, and applies the stream faults — <c>silent</c>, <c>malformed</c>, <c>oddtext</c>,
/// <c>oversized</c>, <c>fuzz</c>, <c>badchecksum</c>.
/// </summary>
internal sealed class KrakenEmulatorPump(KrakenEmulatorMarket market, KrakenEmulatorStreams streams, KrakenEmulatorFaults faults, KrakenEmulatorOptions options)
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(10);
    private readonly KrakenFuzzFrames _fuzz = new(market);

    /// <summary>(symbol, tick) for every trade and ticker sent, per connection.</summary>
    public event Action<string, Tick>? Sent;

    /// <summary>(channel, symbol, text) for every data message sent, per connection, exactly as sent.</summary>
    public event Action<string, string, string>? SentFrame;

    public event Action<FuzzedFrame>? Fuzzed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_step);
        long step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            KrakenEmulatorConnection[] connections = [.. streams.Connections.Where(c => !c.Closing)];
            var wanted = new HashSet<string>(connections.SelectMany(c => c.Symbols), StringComparer.Ordinal);
            int levels = Math.Max(30, connections.Select(c => c.DeepestBook()).DefaultIfEmpty(0).Max() + 20);
            List<KrakenStepEvent> events = market.Step(now, wanted, faults, levels);
            long oversized = faults.Shared.TakeOversizedFrame();
            foreach (KrakenEmulatorConnection connection in connections)
            {
                try
                {
                    await connection.Sequence.WaitAsync(cancellationToken);
                    try
                    {
                        await ServeAsync(connection, events, now, step, oversized, cancellationToken);
                    }
                    finally
                    {
                        connection.Sequence.Release();
                    }
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private async Task ServeAsync(KrakenEmulatorConnection connection, List<KrakenStepEvent> events, DateTime now, long step, long oversized, CancellationToken cancellationToken)
    {
        if (faults.Shared.Silent)
        {
            return;
        }

        if (oversized > 0)
        {
            await connection.SendLargeAsync(oversized, cancellationToken);
        }

        foreach (KrakenStepEvent e in events)
        {
            string symbol = e.Spec.Symbol;
            if (e.TradeJson is { } trades && connection.Has(KrakenRequests.Trade, symbol))
            {
                SentFrame?.Invoke(KrakenRequests.Trade, symbol, trades);
                foreach (Tick tick in e.TradeTicks)
                {
                    Sent?.Invoke(symbol, tick);
                }

                await connection.SendTextAsync(trades, cancellationToken);
            }

            if (e.TickerJson is { } ticker && connection.Has(KrakenRequests.Ticker, symbol))
            {
                SentFrame?.Invoke(KrakenRequests.Ticker, symbol, ticker);
                Sent?.Invoke(symbol, e.TickerTick!.Value);
                await connection.SendTextAsync(ticker, cancellationToken);
            }

            if (e.Bids is { } bids && e.Asks is { } asks && connection.Book(symbol) is { } view
                && KrakenBookMessages.Update(e.Spec, view, bids, asks, e.Time, () => faults.TakeBadChecksum(symbol)) is { } book)
            {
                SentFrame?.Invoke(KrakenRequests.Book, symbol, book);
                await connection.SendTextAsync(book, cancellationToken);
            }
        }

        IReadOnlyList<string> symbols = connection.Symbols;
        if (symbols.Count > 0 && now - connection.LastSentUtc >= options.HeartbeatInterval)
        {
            await connection.SendTextAsync(KrakenJson.Heartbeat, cancellationToken);
        }

        string? first = symbols.Order(StringComparer.Ordinal).FirstOrDefault();
        if (first is not null && faults.Shared.Malformed && step % 10 == 0)
        {
            foreach (string text in KrakenFaultFrames.Malformed(first, now))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        if (first is not null && faults.Shared.OddText && step % 10 == 5)
        {
            foreach (string text in KrakenFaultFrames.Odd(first))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        await SendFuzzedAsync(connection, symbols, now, cancellationToken);
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(KrakenEmulatorConnection connection, IReadOnlyList<string> symbols, DateTime now, CancellationToken cancellationToken)
    {
        if (faults.Shared.Fuzz is not { } settings)
        {
            return;
        }

        string[] targets = [.. symbols.Where(s => market.Knows(s) && settings.IsTarget(s)).Order(StringComparer.Ordinal)];
        if (targets.Length == 0)
        {
            return;
        }

        FrameFuzzer fuzzer = _fuzz.For(settings);
        for (int i = 0; i < settings.FramesPerStep && (settings.Limit == 0 || fuzzer.Produced < settings.Limit); i++)
        {
            FuzzedFrame frame;
            try
            {
                frame = fuzzer.Next(text => _fuzz.Valid(fuzzer, targets, text, now), settings);
            }
            catch (InvalidOperationException)
            {
                // The fuzzer cannot keep away from protected symbols: fuzzing stops, the emulator goes on.
                faults.Shared.Apply("-fuzz");
                return;
            }

            Fuzzed?.Invoke(frame);
            await connection.SendAsync(frame.Bytes, frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken);
        }
    }
}
