using System.Text.Json;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>The values Coinbase's messages are made of, read from a <see cref="Utf8JsonReader"/> on them without allocating.</summary>
internal static class CoinbaseJsonValues
{
    private const int MaxEscapedBytes = 64;

    /// <summary>A JSON string holding an exact unsigned decimal, as raw fixed point.</summary>
    public static bool TryFixed(ref Utf8JsonReader reader, out long raw)
    {
        raw = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            return FixedPoint.TryParseUtf8(reader.ValueSpan, out raw);
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        return reader.ValueSpan.Length <= MaxEscapedBytes && FixedPoint.TryParseUtf8(unescaped[..reader.CopyString(unescaped)], out raw);
    }

    /// <summary>A JSON string holding an RFC 3339 time.</summary>
    public static bool TryTime(ref Utf8JsonReader reader, out DateTime utc)
    {
        utc = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            return CoinbaseTime.TryParse(reader.ValueSpan, out utc);
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        return reader.ValueSpan.Length <= MaxEscapedBytes && CoinbaseTime.TryParse(unescaped[..reader.CopyString(unescaped)], out utc);
    }

    /// <summary>A product id string, resolved from its bytes; false only when it is not a string.</summary>
    public static bool TryProduct(ref Utf8JsonReader reader, CoinbaseProductMap products, out bool known, out InstrumentId instrument)
    {
        known = false;
        instrument = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            known = products.TryGet(reader.ValueSpan, out instrument);
            return true;
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        known = reader.ValueSpan.Length <= MaxEscapedBytes && products.TryGet(unescaped[..reader.CopyString(unescaped)], out instrument);
        return true;
    }
}
