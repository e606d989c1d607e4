using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>What a partition's ingest queue carries: a tick, a book message, a clock beat, or work to run on the partition thread.</summary>
internal readonly struct HubEvent
{
    private HubEvent(HubEventKind kind, in Tick tick, object? payload)
    {
        Kind = kind;
        Tick = tick;
        Payload = payload;
    }

    public HubEventKind Kind { get; }

    public Tick Tick { get; }

    /// <summary>The <see cref="PartitionWork"/> or <see cref="BookUpdate"/> of those kinds (one field keeps the event small).</summary>
    public object? Payload { get; }

    public PartitionWork? Work => Payload as PartitionWork;

    public BookUpdate? Book => Payload as BookUpdate;

    public static HubEvent ForTick(in Tick tick) => new(HubEventKind.Tick, in tick, null);

    public static HubEvent ForBook(BookUpdate book) => new(HubEventKind.Book, default, book);

    public static HubEvent Clock { get; } = new(HubEventKind.Clock, default, null);

    public static HubEvent ForWork(PartitionWork work) => new(HubEventKind.Work, default, work);
}

internal enum HubEventKind : byte
{
    Tick,
    Clock,
    Work,
    Book,
}
