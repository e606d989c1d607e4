using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace MarketFeed.Emulators.Tests.Venues.Kraken.Emulator;

/// <summary>
/// A client's book kept the way Kraken's guide describes, independently of the feed: levels keyed by decimal value,
/// each keeping its number text exactly as received; updates applied in order, both sides cut to the depth, and the
/// CRC32 computed from the kept texts (point dropped, leading zeros stripped), asks then bids, top 10 each.
/// </summary>
internal sealed class KrakenTextBook(int depth)
{
    private readonly SortedDictionary<decimal, (string Price, string Qty)> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, (string Price, string Qty)> _asks = new();

    public int Bids => _bids.Count;

    public int Asks => _asks.Count;

    /// <summary>Applies one book item (<c>data[0]</c>); returns whether its checksum matches the book after it.</summary>
    public bool Apply(JsonElement item, bool snapshot)
    {
        if (snapshot)
        {
            _bids.Clear();
            _asks.Clear();
        }

        Side(_bids, item.GetProperty("bids"));
        Side(_asks, item.GetProperty("asks"));
        Cut(_bids);
        Cut(_asks);
        return Checksum() == item.GetProperty("checksum").GetUInt32();
    }

    public uint Checksum()
    {
        var text = new StringBuilder();
        foreach ((string price, string qty) in _asks.Values.Take(10).Concat(_bids.Values.Take(10)))
        {
            text.Append(price.Replace(".", "", StringComparison.Ordinal).TrimStart('0')).Append(qty.Replace(".", "", StringComparison.Ordinal).TrimStart('0'));
        }

        return Crc32(Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static void Side(SortedDictionary<decimal, (string, string)> side, JsonElement levels)
    {
        foreach (JsonElement level in levels.EnumerateArray())
        {
            string price = level.GetProperty("price").GetRawText();
            string qty = level.GetProperty("qty").GetRawText();
            decimal key = decimal.Parse(price, CultureInfo.InvariantCulture);
            if (decimal.Parse(qty, CultureInfo.InvariantCulture) == 0)
            {
                side.Remove(key);
            }
            else
            {
                side[key] = (price, qty);
            }
        }
    }

    private void Cut(SortedDictionary<decimal, (string, string)> side)
    {
        foreach (decimal key in side.Keys.Skip(depth).ToList())
        {
            side.Remove(key);
        }
    }

    /// <summary>zlib's CRC-32, through GZip (whose trailer carries it), so the test does not share the adapter's table.</summary>
    private static uint Crc32(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        byte[] gz = output.ToArray();
        return BitConverter.ToUInt32(gz, gz.Length - 8);
    }
}
