namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's exchange segments: the byte in every binary header and the string in every JSON request. 6 is unused;
/// an unknown byte is kept as a number so a packet for it is counted, never guessed at.
/// </summary>
internal static class DhanSegment
{
    public const byte Index = 0;
    public const byte NseEquity = 1;
    public const byte NseFno = 2;
    public const byte NseCurrency = 3;
    public const byte BseEquity = 4;
    public const byte McxCommodity = 5;
    public const byte BseCurrency = 7;
    public const byte BseFno = 8;

    private static readonly string?[] s_names = ["IDX_I", "NSE_EQ", "NSE_FNO", "NSE_CURRENCY", "BSE_EQ", "MCX_COMM", null, "BSE_CURRENCY", "BSE_FNO"];

    public static string? Name(byte segment) => segment < s_names.Length ? s_names[segment] : null;

    public static bool TryParse(string name, out byte segment)
    {
        int index = Array.IndexOf(s_names, name);
        segment = (byte)Math.Max(0, index);
        return index >= 0;
    }

    /// <summary>Only these two segments have the 20-level depth feed.</summary>
    public static bool HasDepth20(byte segment) => segment is NseEquity or NseFno;
}
