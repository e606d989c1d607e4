namespace MarketFeed.Model;

/// <summary>
/// How much a subscription asks of the venue. Ordered: <see cref="Full"/> ⊇ <see cref="Quote"/> ⊇ <see cref="Ltp"/>,
/// so the effective mode of an instrument is the highest mode any lease holds.
/// </summary>
public enum FeedMode : byte
{
    Ltp = 1,
    Quote = 2,
    Full = 3,
}
