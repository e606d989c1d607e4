using System.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MarketFeed.Venues.Upstox;

/// <summary><c>marketInfo</c>: per-segment status, and the newer status maps checked as the runtime parses them.</summary>
public sealed partial class UpstoxDecoder
{
    /// <summary>marketInfo.segmentStatus: map entries of segment (1) → status (2, PRE_OPEN_START when absent).</summary>
    private bool ReadMarketInfo(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            if (field is 2 or 3 && wire == ProtoReader.LengthDelimited)
            {
                // casMarketStatus / preOpenSessionStatus: not used, but checked as the runtime would parse them.
                if (!reader.TryReadBytes(out ReadOnlySpan<byte> status) || !StatusEntry(status))
                {
                    return false;
                }

                continue;
            }

            if (field != 1 || wire != ProtoReader.LengthDelimited)
            {
                if (!reader.TrySkip(wire))
                {
                    return false;
                }

                continue;
            }

            if (!reader.TryReadBytes(out ReadOnlySpan<byte> entry) || !ReadSegment(entry, body))
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadSegment(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> info)
    {
        var reader = new ProtoReader(entry);
        ReadOnlySpan<byte> segment = default;
        long status = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out segment),
                (2, ProtoReader.Varint) => reader.TryReadInt64(wire, out status),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (segment.Length == 0 || status is < 0 or > (long)UpstoxSegmentStatus.ClosingEnd || !Ascii.IsValid(segment))
        {
            // A status this schema does not know (a newer server), or no segment name: nothing to act on, not damage.
            return true;
        }

        // Where the segment name sits inside marketInfo: the string is made only once the frame is known good.
        int start = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(info), ref MemoryMarshal.GetReference(segment));
        _segments.Add((start, segment.Length, (UpstoxSegmentStatus)status));
        return true;
    }

    /// <summary>A message of scalar and string fields only (a DoubleValue, a StatusInfo): well formed or not.</summary>
    private static bool Flat(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out _, out int wire) || !reader.TrySkip(wire))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A map&lt;string, StatusInfo&gt; entry: key (1), StatusInfo message (2).</summary>
    private static bool StatusEntry(ReadOnlySpan<byte> entry)
    {
        var reader = new ProtoReader(entry);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = field == 2 && wire == ProtoReader.LengthDelimited
                ? reader.TryReadBytes(out ReadOnlySpan<byte> info) && Flat(info)
                : reader.TrySkip(wire);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
