using System.Text.Json;
using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Tests.Sharding;

/// <summary>A producer's sequence file as docs/bus.md describes it: <c>bus-{gateway}.json</c>, its epoch and its marks.</summary>
internal static class SequenceMarksFile
{
    public static string PathOf(string directory, string gatewayId) => Path.Combine(directory, $"bus-{gatewayId}.json");

    /// <summary>The tick-channel mark the file holds for <paramref name="symbol"/>; 0 when it holds none.</summary>
    public static long TickMark(string file, string symbol)
    {
        using JsonDocument marks = JsonDocument.Parse(File.ReadAllBytes(file));
        return marks.RootElement.GetProperty("seqs").TryGetProperty(symbol, out JsonElement seqs) ? seqs[(int)BusChannel.Tick].GetInt64() : 0;
    }

    public static uint Epoch(string file)
    {
        using JsonDocument marks = JsonDocument.Parse(File.ReadAllBytes(file));
        return marks.RootElement.GetProperty("epoch").GetUInt32();
    }
}
