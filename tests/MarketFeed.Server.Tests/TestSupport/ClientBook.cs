using System.Text.Json;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>What a streaming client does with book messages: a snapshot replaces its levels, an update sets each level it carries (qty 0 removes it).</summary>
internal sealed class ClientBook
{
    private readonly SortedDictionary<decimal, decimal> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, decimal> _asks = [];

    public long Seq { get; private set; }

    public string? State { get; private set; }

    public int Snapshots { get; private set; }

    public int Updates { get; private set; }

    public void Apply(JsonElement message)
    {
        Assert.Equal("book", message.GetProperty("type").GetString());
        long seq = message.GetProperty("seq").GetInt64();
        Assert.True(seq >= Seq, $"seq went back from {Seq} to {seq}");
        Seq = seq;
        State = message.GetProperty("state").GetString();
        if (message.GetProperty("snapshot").GetBoolean())
        {
            Snapshots++;
            _bids.Clear();
            _asks.Clear();
        }
        else
        {
            Assert.True(Snapshots > 0, "an update before any snapshot");
            Updates++;
        }

        Set(_bids, message.GetProperty("bids"));
        Set(_asks, message.GetProperty("asks"));
    }

    /// <summary>Levels as <c>price:qty</c> text, best first, for comparison with another book.</summary>
    public static IReadOnlyList<string> Levels(JsonElement side) =>
        [.. side.EnumerateArray().Select(l => $"{l[0].GetDecimal()}:{l[1].GetDecimal()}")];

    public IReadOnlyList<string> Bids => [.. _bids.Select(l => $"{l.Key}:{l.Value}")];

    public IReadOnlyList<string> Asks => [.. _asks.Select(l => $"{l.Key}:{l.Value}")];

    private static void Set(SortedDictionary<decimal, decimal> side, JsonElement levels)
    {
        foreach (JsonElement level in levels.EnumerateArray())
        {
            Assert.Equal(2, level.GetArrayLength());
            decimal price = level[0].GetDecimal();
            decimal quantity = level[1].GetDecimal();
            if (quantity == 0)
            {
                // The server sends a removal only for a level this client holds.
                Assert.True(side.Remove(price), $"removed {price}, a level the client did not have");
            }
            else
            {
                side[price] = quantity;
            }
        }
    }
}
