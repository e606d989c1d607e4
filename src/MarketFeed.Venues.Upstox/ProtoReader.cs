using System.Buffers.Binary;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// A forward-only reader of the protobuf wire format over a span: tags, varints, 64-bit fields and length-delimited
/// fields, nothing allocated. Every read checks the bounds and says false on bytes that are not valid protobuf
/// (truncated varint or field, a length past the end, wire types 3/4 (groups) and 6/7, field number 0), so a damaged
/// frame is reported, never read past. Unknown fields are skipped by their wire type, as the protobuf runtime does.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> buffer)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly bool End => _position >= _buffer.Length;

    /// <summary>The next field's number and wire type; false on a malformed tag.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(out ulong tag) || tag > uint.MaxValue)
        {
            return false;
        }

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return field > 0 && wireType is Varint or Fixed64 or LengthDelimited or Fixed32;
    }

    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                return false;
            }

            byte b = _buffer[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                // The tenth byte may only carry the top bit of a 64-bit value.
                return shift < 63 || b <= 1;
            }
        }

        return false;
    }

    public bool TryReadDouble(out double value)
    {
        value = 0;
        if (_buffer.Length - _position < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadDoubleLittleEndian(_buffer[_position..]);
        _position += 8;
        return true;
    }

    public bool TryReadBytes(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadVarint(out ulong length) || length > (ulong)(_buffer.Length - _position))
        {
            return false;
        }

        value = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips the value of a field of <paramref name="wireType"/>.</summary>
    public bool TrySkip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                return TryReadVarint(out _);
            case Fixed64:
                return TryAdvance(8);
            case LengthDelimited:
                return TryReadBytes(out _);
            case Fixed32:
                return TryAdvance(4);
            default:
                return false;
        }
    }

    /// <summary>A double field: false when the wire type is not 64-bit or the bytes run out.</summary>
    public bool TryReadDouble(int wireType, out double value)
    {
        value = 0;
        return wireType == Fixed64 && TryReadDouble(out value);
    }

    /// <summary>An int64/enum/bool field: false when the wire type is not varint or the varint is malformed.</summary>
    public bool TryReadInt64(int wireType, out long value)
    {
        value = 0;
        if (wireType != Varint || !TryReadVarint(out ulong raw))
        {
            return false;
        }

        value = (long)raw;
        return true;
    }

    /// <summary>A message, string or bytes field.</summary>
    public bool TryReadMessage(int wireType, out ReadOnlySpan<byte> value)
    {
        value = default;
        return wireType == LengthDelimited && TryReadBytes(out value);
    }

    private bool TryAdvance(int count)
    {
        if (_buffer.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
