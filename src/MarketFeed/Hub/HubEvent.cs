using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>What a partition's ingest queue carries: a tick, a clock beat, or work to run on the partition thread.</summary>
internal readonly struct HubEvent
{
    private HubEvent(HubEventKind kind, in Tick tick, PartitionWork? work)
    {
        Kind = kind;
        Tick = tick;
        Work = work;
    }

    public HubEventKind Kind { get; }

    public Tick Tick { get; }

    public PartitionWork? Work { get; }

    public static HubEvent ForTick(in Tick tick) => new(HubEventKind.Tick, in tick, null);

    public static HubEvent Clock { get; } = new(HubEventKind.Clock, default, null);

    public static HubEvent ForWork(PartitionWork work) => new(HubEventKind.Work, default, work);
}

internal enum HubEventKind : byte
{
    Tick,
    Clock,
    Work,
}
