using MarketFeed.Feeds;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's disconnect reason codes (annexure "Data API error") as typed outcomes of the stream contract:
/// credentials problems (807 expired, 808 rejected, 809 invalid token, 810 invalid client id) are <c>auth_failed</c>
/// with a message saying what to fix; 806 (no data plan) too, since only a person can fix it; 805 (too many
/// connections) holds reconnects off (see <see cref="DhanOptions.TooManyConnectionsBackoff"/>); others reconnect with backoff.
/// </summary>
internal static class DhanDisconnectReason
{
    public const int TooManyConnections = 805;

    public static string Describe(int code) => code switch
    {
        800 => "internal server error",
        804 => "requested number of instruments exceeds the limit",
        805 => "too many requests or connections (a sixth socket drops the oldest)",
        806 => "Data APIs not subscribed on this account",
        807 => "access token expired",
        808 => "authentication failed: client id or access token invalid",
        809 => "access token invalid",
        810 => "client id invalid",
        811 => "invalid expiry date",
        812 => "invalid date format",
        813 => "invalid security id",
        814 => "invalid request",
        _ => "unknown reason",
    };

    public static FrameOutcome Outcome(int code, TimeSpan tooManyBackoff) => code switch
    {
        807 or 809 => FrameOutcome.AuthFailed($"Dhan rejected the credentials (code {code}, {Describe(code)}): generate a new token and set Dhan:AccessToken", code),
        808 or 810 => FrameOutcome.AuthFailed($"Dhan rejected the credentials (code {code}, {Describe(code)}): check Dhan:ClientId and Dhan:AccessToken", code),
        806 => FrameOutcome.AuthFailed($"Dhan refused market data (code 806, {Describe(code)}): the account's credentials have no Data API plan; subscribe to it on web.dhan.co", code),
        TooManyConnections => FrameOutcome.VenueDisconnect(code, $"{Describe(code)}; no new connection for {tooManyBackoff.TotalSeconds:0} s", tooManyBackoff),
        _ => FrameOutcome.VenueDisconnect(code, Describe(code)),
    };
}
