namespace MarketFeed.Benchmarks.Bus;

/// <summary>Stream arguments for the benchmark's throwaway streams: small segments, so retention never stalls a run.</summary>
internal static class BusStreams
{
    public static readonly Dictionary<string, object?> Arguments = new()
    {
        ["x-queue-type"] = "stream",
        ["x-max-length-bytes"] = 1_000_000_000L,
        ["x-stream-max-segment-size-bytes"] = 20_000_000,
    };
}
