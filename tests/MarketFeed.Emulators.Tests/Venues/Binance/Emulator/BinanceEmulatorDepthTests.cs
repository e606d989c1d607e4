using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MarketFeed.Venues.Binance.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Binance.Emulator;

/// <summary>The emulator's books through Binance's documented local-order-book procedure: REST snapshot plus diff stream.</summary>
public class BinanceEmulatorDepthTests
{
    [Fact]
    public async Task The_documented_sync_procedure_rebuilds_exactly_the_emulators_book()
    {
        await using BinanceEmulator emulator = await BinanceEmulatorStreamTests.StartAsync(tradesPerSecond: 20);
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker");

        // 1. Buffer the diff events; note the U of the first.
        var buffered = new List<JsonElement>();
        var tickers = new Dictionary<long, JsonElement>();
        async Task<JsonElement> NextDiffAsync()
        {
            while (true)
            {
                JsonElement message = await socket.ReceiveJsonAsync();
                JsonElement data = message.GetProperty("data");
                if (message.GetProperty("stream").GetString() == "btcusdt@bookTicker")
                {
                    tickers[data.GetProperty("u").GetInt64()] = data;
                    continue;
                }

                return data;
            }
        }

        buffered.Add(await NextDiffAsync());
        long firstU = buffered[0].GetProperty("U").GetInt64();

        // 2–3. A snapshot no older than the first buffered event.
        JsonElement snapshot;
        do
        {
            snapshot = await http.GetFromJsonAsync<JsonElement>("/api/v3/depth?symbol=BTCUSDT&limit=5000");
        }
        while (snapshot.GetProperty("lastUpdateId").GetInt64() < firstU);

        long lastUpdateId = snapshot.GetProperty("lastUpdateId").GetInt64();
        while (buffered[^1].GetProperty("u").GetInt64() <= lastUpdateId)
        {
            buffered.Add(await NextDiffAsync());
        }

        // 4. Drop what the snapshot covers; the first left straddles it.
        buffered.RemoveAll(e => e.GetProperty("u").GetInt64() <= lastUpdateId);
        Assert.InRange(lastUpdateId + 1, buffered[0].GetProperty("U").GetInt64(), buffered[0].GetProperty("u").GetInt64());

        // 5–6. The book is the snapshot; apply the buffered events, then live ones.
        var book = new LocalBook(snapshot);
        foreach (JsonElement diff in buffered)
        {
            book.Apply(diff);
        }

        int tickersChecked = 0;
        var live = Stopwatch.StartNew();
        while (live.Elapsed < TimeSpan.FromSeconds(2))
        {
            book.Apply(await NextDiffAsync());
            if (tickers.Remove(book.UpdateId, out JsonElement ticker))
            {
                // A bookTicker with the id the book is at shows the book's top.
                Assert.Equal((Dec(ticker, "b"), Dec(ticker, "B"), Dec(ticker, "a"), Dec(ticker, "A")), book.Top);
                tickersChecked++;
            }
        }

        Assert.True(tickersChecked > 0, "no bookTicker at a diff's last id");

        // Still: once the last diff is in, the rebuilt book is the emulator's, level for level, and a new snapshot's.
        emulator.Freeze(true);
        (long emulatorId, _, _) = emulator.Book("BTCUSDT");
        while (book.UpdateId < emulatorId)
        {
            book.Apply(await NextDiffAsync());
        }

        (long id, IReadOnlyList<BinanceLevel> bids, IReadOnlyList<BinanceLevel> asks) = emulator.Book("BTCUSDT");
        Assert.Equal(id, book.UpdateId);
        Assert.Equal(1000, bids.Count);
        Assert.Equal(bids.Select(l => (l.Price / 1e8m, l.Quantity / 1e8m)), book.Bids);
        Assert.Equal(asks.Select(l => (l.Price / 1e8m, l.Quantity / 1e8m)), book.Asks);
        var again = new LocalBook(await http.GetFromJsonAsync<JsonElement>("/api/v3/depth?symbol=BTCUSDT&limit=5000"));
        Assert.Equal(book.UpdateId, again.UpdateId);
        Assert.Equal(book.Bids, again.Bids);
        Assert.Equal(book.Asks, again.Asks);
    }

    [Fact]
    public async Task Depthgap_loses_exactly_one_diff_of_each_symbol()
    {
        await using BinanceEmulator emulator = await BinanceEmulatorStreamTests.StartAsync(tradesPerSecond: 20);
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms");
        var last = new Dictionary<string, long>();
        var gaps = new Dictionary<string, List<(long LastU, long U)>> { ["BTCUSDT"] = [], ["ETHUSDT"] = [] };
        async Task ReadAsync(TimeSpan period)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < period)
            {
                JsonElement data = (await socket.ReceiveJsonAsync()).GetProperty("data");
                string symbol = data.GetProperty("s").GetString()!;
                long first = data.GetProperty("U").GetInt64();
                if (last.TryGetValue(symbol, out long previous) && first != previous + 1)
                {
                    gaps[symbol].Add((previous, first));
                }

                last[symbol] = data.GetProperty("u").GetInt64();
            }
        }

        await ReadAsync(TimeSpan.FromSeconds(1));
        Assert.All(gaps.Values, Assert.Empty);
        emulator.SetFaults("depthgap");
        await ReadAsync(TimeSpan.FromSeconds(2));
        Assert.All(gaps.Values, g => Assert.True(g.Count == 1 && g[0].U > g[0].LastU + 1, string.Join(';', g)));
    }

    private static decimal Dec(JsonElement element, string name) => decimal.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Binance's local book with plain dictionaries: a snapshot, then the documented update procedure.</summary>
    private sealed class LocalBook
    {
        private readonly Dictionary<decimal, decimal> _bids = [];
        private readonly Dictionary<decimal, decimal> _asks = [];

        public LocalBook(JsonElement snapshot)
        {
            UpdateId = snapshot.GetProperty("lastUpdateId").GetInt64();
            Set(_bids, snapshot.GetProperty("bids"));
            Set(_asks, snapshot.GetProperty("asks"));
        }

        public long UpdateId { get; private set; }

        public IEnumerable<(decimal, decimal)> Bids => _bids.OrderByDescending(l => l.Key).Select(l => (l.Key, l.Value));

        public IEnumerable<(decimal, decimal)> Asks => _asks.OrderBy(l => l.Key).Select(l => (l.Key, l.Value));

        public (decimal, decimal, decimal, decimal) Top
        {
            get
            {
                KeyValuePair<decimal, decimal> bid = _bids.MaxBy(l => l.Key);
                KeyValuePair<decimal, decimal> ask = _asks.MinBy(l => l.Key);
                return (bid.Key, bid.Value, ask.Key, ask.Value);
            }
        }

        public void Apply(JsonElement diff)
        {
            long first = diff.GetProperty("U").GetInt64();
            long last = diff.GetProperty("u").GetInt64();
            if (last < UpdateId)
            {
                return;
            }

            Assert.False(first > UpdateId + 1, $"gap: U {first} after book {UpdateId}");
            Set(_bids, diff.GetProperty("b"));
            Set(_asks, diff.GetProperty("a"));
            UpdateId = last;
        }

        private static void Set(Dictionary<decimal, decimal> side, JsonElement levels)
        {
            foreach (JsonElement level in levels.EnumerateArray())
            {
                decimal price = decimal.Parse(level[0].GetString()!, CultureInfo.InvariantCulture);
                decimal quantity = decimal.Parse(level[1].GetString()!, CultureInfo.InvariantCulture);
                if (quantity == 0)
                {
                    side.Remove(price);
                }
                else
                {
                    side[price] = quantity;
                }
            }
        }
    }
}
