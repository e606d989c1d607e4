using System.Diagnostics;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;

namespace MarketFeed.Benchmarks;

/// <summary>
/// End to end in one process: the simulator at a target rate → the hub's bounded ingest queue → partition loop →
/// one subscriber read by an async consumer, for a fixed time. Reports what the consumer received per second and
/// what was lost on the way (nothing should be: the simulator waits on a full queue, the consumer keeps up). With
/// <c>books</c>, the two crypto instruments (one book diff per tick each) are among the instruments and the subscriber
/// also reads book views.
/// </summary>
internal static class PipelineRun
{
    public static async Task RunAsync(double ticksPerSecond, int instruments, TimeSpan duration, bool books = false)
    {
        var feed = new SimulatorFeed(new SimulatorOptions { TicksPerSecond = ticksPerSecond, StepInterval = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
        string[] crypto = books ? ["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"] : [];
        string[] symbols = [.. crypto, .. host.Instruments.All().Select(i => i.Symbol).Except(crypto).Take(instruments - crypto.Length)];
        await using MarketSubscription subscription = host.Subscribe(symbols, new SubscriberOptions { TickCapacity = 1 << 20, Books = books });

        using var stop = new CancellationTokenSource(duration);
        long received = 0;
        long views = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (await subscription.Subscriber.WaitToReadAnyAsync(stop.Token))
            {
                while (subscription.Subscriber.TryReadTick(out _))
                {
                    received++;
                }

                while (subscription.Subscriber.TryReadBook(out _))
                {
                    views++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var quality = host.Hub.Quality();
        Console.WriteLine($"target {ticksPerSecond:N0} ticks/s over {instruments} instruments for {seconds:F1} s");
        Console.WriteLine($"  sent by the simulator: {feed.Health.Messages / seconds:N0} ticks/s");
        Console.WriteLine($"  received by the subscriber: {received / seconds:N0} ticks/s");
        Console.WriteLine($"  accepted {quality.Accepted:N0}, duplicates {quality.DroppedDuplicate:N0}, ingest full {quality.IngestFull:N0}, subscriber dropped {quality.SubscriberDropped:N0}");
        if (books)
        {
            Console.WriteLine($"  book messages {quality.BookMessages / seconds:N0}/s, book views read {views / seconds:N0}/s, gaps {quality.BookGaps}, books synced {quality.BooksSynced}");
        }
    }
}
