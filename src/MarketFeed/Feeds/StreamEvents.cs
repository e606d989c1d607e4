using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// What a protocol decoded from one frame: ticks (whole quotes or partial updates) and book messages, plus control
/// messages the frame calls for (a pong, a resubscribe). One instance per connection, cleared before every frame, so
/// decoding allocates nothing once the lists have grown. Book messages come from <see cref="BookUpdate.Rent"/> and
/// belong to the hub once published.
/// </summary>
public sealed class StreamEvents
{
    public List<Tick> Ticks { get; } = new(256);

    public List<BookUpdate> Books { get; } = [];

    public List<ControlMessage> Replies { get; } = [];

    public void Clear()
    {
        Ticks.Clear();
        Books.Clear();
        Replies.Clear();
    }

    /// <summary>Drops what a failed frame produced, returning its book messages to the pool.</summary>
    public void Discard()
    {
        foreach (BookUpdate book in Books)
        {
            BookUpdate.Return(book);
        }

        Clear();
    }
}
