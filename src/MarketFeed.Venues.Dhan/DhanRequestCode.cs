using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>The JSON <c>RequestCode</c>s: subscribe per mode, unsubscribe = subscribe + 1, 20-level depth 23/24.</summary>
internal static class DhanRequestCode
{
    public const int Disconnect = 12;
    public const int SubscribeTicker = 15;
    public const int UnsubscribeTicker = 16;
    public const int SubscribeQuote = 17;
    public const int UnsubscribeQuote = 18;
    public const int SubscribeFull = 21;
    public const int UnsubscribeFull = 22;
    public const int SubscribeDepth = 23;
    public const int UnsubscribeDepth = 24;

    public static int Subscribe(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => SubscribeTicker,
        FeedMode.Quote => SubscribeQuote,
        _ => SubscribeFull,
    };

    public static int Unsubscribe(FeedMode mode) => Subscribe(mode) + 1;

    /// <summary>The mode a subscribe code asks for, or null when it is none of 15, 17, 21.</summary>
    public static FeedMode? ModeOf(int code) => code switch
    {
        SubscribeTicker => FeedMode.Ltp,
        SubscribeQuote => FeedMode.Quote,
        SubscribeFull => FeedMode.Full,
        _ => null,
    };
}
