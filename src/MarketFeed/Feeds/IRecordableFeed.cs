using MarketFeed.Taps;

namespace MarketFeed.Feeds;

/// <summary>
/// A feed whose REST answers can be recorded: the host attaches the raw tap before loading its instruments, so the
/// instrument list, polled quotes, book snapshots and candle history reach the journal beside the stream's frames.
/// </summary>
public interface IRecordableFeed
{
    void AttachRawTap(IRawFrameTap tap);
}
