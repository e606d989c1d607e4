using System.Globalization;
using System.Text;
using MarketFeed.Feeds;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's JSON requests (): <c>{"RequestCode":15,"InstrumentCount":2,"InstrumentList":[{"ExchangeSegment":
/// "NSE_EQ","SecurityId":"1333"},…]}</c>: the segment as its string name, the security id as a string.
/// </summary>
internal static class DhanSubscriptionJson
{
    public static ControlMessage Request(int code, IReadOnlyCollection<(byte Segment, int SecurityId)> instruments)
    {
        var json = new StringBuilder(64 + (instruments.Count * 48));
        json.Append(CultureInfo.InvariantCulture, $"{{\"RequestCode\":{code},\"InstrumentCount\":{instruments.Count},\"InstrumentList\":[");
        bool first = true;
        foreach ((byte segment, int securityId) in instruments)
        {
            json.Append(first ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"ExchangeSegment\":\"{DhanSegment.Name(segment)}\",\"SecurityId\":\"{securityId}\"}}");
            first = false;
        }

        return ControlMessage.Text(json.Append("]}").ToString());
    }
}
