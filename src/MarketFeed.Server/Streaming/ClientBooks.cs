using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// The books one streaming client holds: for each, the levels last sent to it. Each update is the difference between
/// those levels and the newest view, so a client that applies what it receives always holds the view's levels, however
/// many views the hub conflated in between. A first view, or one after a resync, goes out whole as a snapshot; a
/// book that starts resyncing is announced with no levels. Writer loop only.
/// </summary>
internal sealed class ClientBooks
{
    private readonly Dictionary<InstrumentId, BookView> _sent = [];
    private BookLevelChange[] _bids = new BookLevelChange[64];
    private BookLevelChange[] _asks = new BookLevelChange[64];

    /// <summary>Forgets what was sent for <paramref name="instrument"/>: its next view goes out as a snapshot.</summary>
    public void Forget(InstrumentId instrument) => _sent.Remove(instrument);

    /// <summary>Writes what this client needs of <paramref name="view"/>; false (nothing written) when it already has it.</summary>
    public bool TryWrite(Utf8JsonWriter writer, BookView view, Instrument instrument)
    {
        if (!_sent.TryGetValue(view.Instrument, out BookView? last))
        {
            _sent[view.Instrument] = view;
            BookJson.WriteSnapshot(writer, view, instrument);
            return true;
        }

        // Older than what the client holds, or the same (a view posted twice: on subscribe and by a change).
        if (view.Sequence < last.Sequence || (view.Sequence == last.Sequence && view.State == last.State))
        {
            return false;
        }

        if (view.State == BookState.Resyncing)
        {
            // The client keeps its levels (marked untrusted) until the snapshot that ends the resync.
            _sent[view.Instrument] = last with { State = BookState.Resyncing, Sequence = view.Sequence };
            BookJson.WriteUpdate(writer, view, instrument, [], []);
            return true;
        }

        _sent[view.Instrument] = view;
        if (last.State == BookState.Resyncing || view.Resyncs != last.Resyncs)
        {
            BookJson.WriteSnapshot(writer, view, instrument);
            return true;
        }

        int bids = Diff(last.Bids, view.Bids, bidSide: true, ref _bids);
        int asks = Diff(last.Asks, view.Asks, bidSide: false, ref _asks);
        BookJson.WriteUpdate(writer, view, instrument, _bids.AsSpan(0, bids), _asks.AsSpan(0, asks));
        return true;
    }

    /// <summary>Levels of <paramref name="after"/> that are new or resized, and of <paramref name="before"/> that are gone (qty 0); both best first.</summary>
    private static int Diff(IReadOnlyList<BookLevelChange> before, IReadOnlyList<BookLevelChange> after, bool bidSide, ref BookLevelChange[] changes)
    {
        if (changes.Length < before.Count + after.Count)
        {
            changes = new BookLevelChange[before.Count + after.Count];
        }

        int count = 0;
        int i = 0;
        int j = 0;
        while (i < before.Count || j < after.Count)
        {
            if (j == after.Count || (i < before.Count && Better(before[i].Price, after[j].Price, bidSide)))
            {
                changes[count++] = new BookLevelChange(before[i++].Price, Quantity.Zero);
            }
            else if (i == before.Count || Better(after[j].Price, before[i].Price, bidSide))
            {
                changes[count++] = after[j++];
            }
            else
            {
                if (before[i].Quantity != after[j].Quantity)
                {
                    changes[count++] = after[j];
                }

                i++;
                j++;
            }
        }

        return count;
    }

    private static bool Better(Price a, Price b, bool bidSide) => bidSide ? a > b : a < b;
}
