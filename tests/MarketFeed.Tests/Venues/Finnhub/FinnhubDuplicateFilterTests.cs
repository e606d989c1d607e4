using System.Text;
using MarketFeed.Venues.Finnhub;

namespace MarketFeed.Tests.Venues.Finnhub;

public class FinnhubDuplicateFilterTests
{
    private static readonly DateTime s_at = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private static byte[] Frame(string price) => Encoding.UTF8.GetBytes($"{{\"data\":[{{\"p\":{price},\"s\":\"AAPL\",\"t\":1763800000000,\"v\":3}}],\"type\":\"trade\"}}");

    [Fact]
    public void A_frame_repeated_byte_for_byte_within_the_window_is_a_repeat()
    {
        var filter = new FinnhubDuplicateFilter();

        Assert.False(filter.IsRepeat(Frame("230.5"), s_at));
        Assert.True(filter.IsRepeat(Frame("230.5"), s_at.AddMilliseconds(1)));
        Assert.True(filter.IsRepeat(Frame("230.5"), s_at.AddSeconds(5)));
        Assert.False(filter.IsRepeat(Frame("230.6"), s_at.AddSeconds(5)));
    }

    [Fact]
    public void Past_its_age_or_pushed_out_of_the_window_a_frame_is_new_again()
    {
        var filter = new FinnhubDuplicateFilter();
        Assert.False(filter.IsRepeat(Frame("1"), s_at));
        Assert.False(filter.IsRepeat(Frame("1"), s_at + FinnhubDuplicateFilter.MaxAge + TimeSpan.FromMilliseconds(1)));

        for (int i = 0; i < FinnhubDuplicateFilter.Window; i++)
        {
            Assert.False(filter.IsRepeat(Frame("2." + i), s_at.AddSeconds(6)));
        }

        Assert.False(filter.IsRepeat(Frame("1"), s_at.AddSeconds(6)));
    }

    [Fact]
    public void The_hash_tells_apart_frames_that_differ_in_one_byte_or_in_length()
    {
        byte[] a = Frame("230.50");
        byte[] b = (byte[])a.Clone();
        b[^3] ^= 1;

        Assert.NotEqual(FinnhubDuplicateFilter.Hash(a), FinnhubDuplicateFilter.Hash(b));
        Assert.NotEqual(FinnhubDuplicateFilter.Hash(a), FinnhubDuplicateFilter.Hash(a.AsSpan(0, a.Length - 1)));
        Assert.Equal(FinnhubDuplicateFilter.Hash(a), FinnhubDuplicateFilter.Hash((byte[])a.Clone()));
    }
}
