using System.Net.WebSockets;
using MarketFeed.Emulators.Fuzzing;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// The emulator's loop, every 20 ms: steps the market and sends each connection the prints of its symbols in trade
/// frames of up to <see cref="FinnhubEmulatorOptions.MaxTradesPerFrame"/> trades (several symbols mixed), each frame
/// repeated under <c>duptrades</c>; a ping every <see cref="FinnhubEmulatorOptions.PingInterval"/>; and the stream faults
/// — <c>silent</c>, <c>malformed</c>, <c>oddtext</c>, <c>oversized</c>, <c>fuzz</c>.
/// </summary>
internal sealed class FinnhubEmulatorPump(FinnhubEmulatorMarket market, FinnhubEmulatorStreams streams, FinnhubEmulatorFaults faults, FinnhubEmulatorOptions options)
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(20);
    private readonly FinnhubFuzzFrames _fuzz = new(market);

    // The shared absurd-price fault counts its steps per instrument: each symbol gets a number of its own.
    private readonly Dictionary<string, Model.InstrumentId> _ids = market.Specs.Select((s, i) => (s.Symbol, Id: new Model.InstrumentId(i + 1)))
        .ToDictionary(x => x.Symbol, x => x.Id, StringComparer.Ordinal);

    /// <summary>Every print sent, once per connection (and per copy under <c>duptrades</c>).</summary>
    public event Action<FinnhubTrade>? Sent;

    /// <summary>Every trade frame sent, exactly as sent, per connection and copy.</summary>
    public event Action<string>? SentFrame;

    public event Action<FuzzedFrame>? Fuzzed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_step);
        long step = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            step++;
            DateTime now = DateTime.UtcNow;
            List<FinnhubTrade> trades = market.Step(now);
            long oversized = faults.Shared.TakeOversizedFrame();
            foreach (FinnhubEmulatorConnection connection in streams.Connections)
            {
                try
                {
                    await ServeAsync(connection, trades, now, step, oversized, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // That client is gone; its receive loop removes it.
                }
            }
        }
    }

    private async Task ServeAsync(FinnhubEmulatorConnection connection, List<FinnhubTrade> trades, DateTime now, long step, long oversized, CancellationToken cancellationToken)
    {
        if (faults.Shared.Silent)
        {
            return;
        }

        if (oversized > 0)
        {
            await connection.SendLargeAsync(oversized, cancellationToken);
        }

        if (now - connection.LastPingUtc >= options.PingInterval)
        {
            connection.LastPingUtc = now;
            await connection.SendTextAsync(FinnhubJson.Ping, cancellationToken);
        }

        IReadOnlySet<string> subscribed = connection.Subscribed;
        long shift = faults.Shared.TimeShiftSeconds * 1000;
        var mine = new List<FinnhubTrade>();
        foreach (FinnhubTrade trade in trades)
        {
            if (subscribed.Contains(trade.Symbol))
            {
                mine.Add(Distort(trade, shift));
            }
        }

        foreach (FinnhubTrade[] batch in mine.Chunk(Math.Max(1, options.MaxTradesPerFrame)))
        {
            string frame = FinnhubJson.Trades(batch);
            for (int copy = 0; copy < faults.TradeCopies; copy++)
            {
                // Reported before it goes out, so whoever compares finds it when the client has read it.
                foreach (FinnhubTrade trade in batch)
                {
                    Sent?.Invoke(trade);
                }

                SentFrame?.Invoke(frame);

                await connection.SendTextAsync(frame, cancellationToken);
            }
        }

        string? symbol = connection.Symbols.FirstOrDefault(market.Knows);
        if (symbol is not null && faults.Shared.Malformed && step % 10 == 0)
        {
            foreach (string text in FinnhubFaultFrames.Malformed(symbol, now))
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        if (symbol is not null && faults.Shared.OddText && step % 10 == 5)
        {
            foreach (string text in FinnhubFaultFrames.Odd())
            {
                await connection.SendTextAsync(text, cancellationToken);
            }
        }

        await SendFuzzedAsync(connection, subscribed, now, cancellationToken);
    }

    /// <summary>The shared distortions: a time shift, and every other print of a symbol made absurd (a price of 10,000,000 or a huge size).</summary>
    private FinnhubTrade Distort(FinnhubTrade trade, long shiftMs)
    {
        if (!faults.Shared.Absurd)
        {
            return shiftMs == 0 ? trade : trade with { TimeMs = trade.TimeMs + shiftMs };
        }

        var tick = new Model.Tick(_ids[trade.Symbol]) { Ltp = Model.Price.FromRaw(trade.Price), ExchangeTime = DateTime.UnixEpoch.AddMilliseconds(trade.TimeMs) };
        faults.Shared.Distort(ref tick);
        return trade with { Price = tick.Ltp.Raw, TimeMs = (tick.ExchangeTime.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond };
    }

    /// <summary>While fuzzing, this step's fuzzed frames for the connection, made from its fuzz targets only.</summary>
    private async Task SendFuzzedAsync(FinnhubEmulatorConnection connection, IReadOnlySet<string> subscribed, DateTime now, CancellationToken cancellationToken)
    {
        if (faults.Shared.Fuzz is not { } settings)
        {
            return;
        }

        string[] targets = [.. subscribed.Where(s => market.Knows(s) && settings.IsTarget(s)).Order(StringComparer.Ordinal)];
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
