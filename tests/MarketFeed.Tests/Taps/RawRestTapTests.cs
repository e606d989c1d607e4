using MarketFeed.Taps;

namespace MarketFeed.Tests.Taps;

public class RawRestTapTests
{
    [Fact]
    public void Credentials_in_a_rest_query_are_not_kept()
    {
        Assert.Equal("/quote?i=NSE%3AINFY", RawRestTap.Redact(new Uri("http://h/quote?i=NSE%3AINFY&access_token=s3cret&api_key=k")));
        Assert.Equal("/depth", RawRestTap.Redact(new Uri("http://h/depth?signature=abc")));
        Assert.Equal("/api/v3/depth?symbol=BTCUSDT&limit=1000", RawRestTap.Redact(new Uri("http://h/api/v3/depth?symbol=BTCUSDT&limit=1000")));
    }
}
