using System.Buffers.Binary;
using System.Text;
using MarketFeed.Simulation;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// Turns a venue's valid frames into damaged ones, whatever the venue: random, truncated, extended, mutated, spliced,
/// field-corrupted, empty and oversized frames, text and binary. Deterministic: the same seed over the same valid
/// frames gives the same fuzzed frames on every platform. Each frame says whether the venue's <see cref="FuzzProfile"/>
/// guarantees a client rejects it, and none ever names a protected instrument. One generator per emulator loop (not
/// thread-safe).
/// </summary>
public sealed class FrameFuzzer
{
    private const int MaxAttempts = 64;
    private const int OversizedWeight = 1;
    private const int KindWeight = 4;
    private static readonly byte[] s_boundaryBytes = [0x00, 0xFF, 0x7F, 0x80];
    private static readonly byte[][] s_invalidUtf8 = [[0xFF], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82]];

    private readonly DeterministicRandom _random;
    private readonly FuzzProfile _profile;
    private IReadOnlySet<FuzzKind>? _kindsOf;
    private FuzzKind[] _kinds = [];
    private int _totalWeight;

    public FrameFuzzer(long seed, FuzzProfile profile)
    {
        _random = new DeterministicRandom((ulong)seed);
        _profile = profile;
    }

    /// <summary>Frames handed out.</summary>
    public long Produced { get; private set; }

    /// <summary>Frames made and thrown away because the venue's client would have read a protected instrument in them.</summary>
    public long Discarded { get; private set; }

    /// <summary>Uniform in [0, <paramref name="count"/>), from the seeded stream: for the venue's own choices while building valid frames.</summary>
    public int Choose(int count) => count <= 1 ? 0 : (int)(_random.NextULong() % (ulong)count);

    /// <summary>One fuzzed frame of a kind in <paramref name="settings"/>; <paramref name="valid"/> builds a valid frame (argument: text).</summary>
    /// <exception cref="InvalidOperationException">The valid frames themselves name protected instruments.</exception>
    public FuzzedFrame Next(Func<bool, FuzzInput> valid, FuzzSettings settings)
    {
        if (!ReferenceEquals(_kindsOf, settings.Kinds))
        {
            _kinds = [.. settings.Kinds.Order()];
            _kindsOf = settings.Kinds;
            _totalWeight = _kinds.Sum(Weight);
        }

        if (_kinds.Length == 0)
        {
            throw new InvalidOperationException("no fuzz kinds selected");
        }

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            FuzzedFrame frame = Make(PickKind(), valid, settings.OversizedBytes);
            if (!_profile.NamesProtected(frame.Bytes, frame.Text))
            {
                Produced++;
                return frame;
            }

            Discarded++;
        }

        throw new InvalidOperationException($"{MaxAttempts} fuzzed frames in a row named a protected instrument: valid frames must carry fuzz targets only");
    }

    /// <summary>Damaged text is guaranteed unreadable: the venue's text is always a JSON object, or it sends none.</summary>
    private bool TextRejected => _profile.TextIsJsonObject || _profile.TextNeverValid;

    internal bool Coin() => (_random.NextULong() & 1) == 0;

    private FuzzKind PickKind()
    {
        int pick = Choose(_totalWeight);
        foreach (FuzzKind kind in _kinds)
        {
            pick -= Weight(kind);
            if (pick < 0)
            {
                return kind;
            }
        }

        return _kinds[^1];
    }

    // Oversized frames are the costly ones to send: fewer of them.
    private static int Weight(FuzzKind kind) => kind == FuzzKind.Oversized ? OversizedWeight : KindWeight;

    private FuzzedFrame Make(FuzzKind kind, Func<bool, FuzzInput> valid, long oversizedBytes) => kind switch
    {
        FuzzKind.RandomBinary => new(RandomBytes(Coin() ? Choose(8) : Choose(2048)), false, kind, false),
        FuzzKind.RandomText => new(Encoding.UTF8.GetBytes(FuzzText.NotJson(this)), true, kind, TextRejected),
        FuzzKind.Truncated => Truncate(valid(Coin())),
        FuzzKind.Extended => Extend(valid(Coin()), valid),
        FuzzKind.Mutated => new(Mutate(valid(false).Bytes), false, kind, false),
        FuzzKind.FieldCorrupted => new(CorruptField(valid(false)), false, kind, false),
        FuzzKind.Spliced => new(Splice(valid(false).Bytes, valid(false).Bytes), false, kind, false),
        FuzzKind.TextMutated => new(Encoding.UTF8.GetBytes(FuzzText.Mutate(this, Encoding.UTF8.GetString(valid(true).Bytes))), true, kind, _profile.TextNeverValid),
        FuzzKind.TextAsBinary => new(valid(true).Bytes, false, kind, false),
        FuzzKind.Empty => Coin() ? new([], true, kind, TextRejected) : new([], false, kind, false),
        FuzzKind.Oversized => Oversize(valid(Coin()), oversizedBytes + Choose(1024)),
        FuzzKind.InvalidUtf8 => new(Insert(valid(true).Bytes, s_invalidUtf8[Choose(s_invalidUtf8.Length)]), true, kind, false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private FuzzedFrame Truncate(FuzzInput input)
    {
        if (input.Text)
        {
            // Cut between characters, so the text stays UTF-8; a proper prefix of a JSON object is never JSON.
            string text = Encoding.UTF8.GetString(input.Bytes);
            int cut = Choose(text.Length);
            cut -= cut > 0 && char.IsLowSurrogate(text[cut]) ? 1 : 0;
            return new(Encoding.UTF8.GetBytes(text[..cut]), true, FuzzKind.Truncated, TextRejected);
        }

        int length = Choose(input.Bytes.Length);
        return new(input.Bytes[..length], false, FuzzKind.Truncated, _profile.FramesDeclareTheirLength && length >= _profile.HeartbeatBelowBytes);
    }

    private FuzzedFrame Extend(FuzzInput input, Func<bool, FuzzInput> valid)
    {
        byte[] tail = Choose(3) switch
        {
            // A copy of part of the frame itself (a duplicated packet, say), another whole frame, or something random.
            0 when input.Text => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(input.Bytes) is string text ? text[Choose(text.Length)..] : ""),
            0 => input.Bytes[Choose(input.Bytes.Length)..],
            1 => valid(input.Text).Bytes,
            _ => input.Text ? Encoding.UTF8.GetBytes(FuzzText.NotJson(this)) : RandomBytes(1 + Choose(64)),
        };
        if (input.Text && (tail.Length == 0 || tail.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
        {
            tail = ",1"u8.ToArray();
        }

        bool mustReject = input.Text ? TextRejected : _profile.FramesDeclareTheirLength;
        return new([.. input.Bytes, .. tail], input.Text, FuzzKind.Extended, mustReject);
    }

    private byte[] Mutate(byte[] valid)
    {
        byte[] bytes = [.. valid];
        for (int changes = bytes.Length == 0 ? 0 : 1 + Choose(8); changes > 0; changes--)
        {
            int at = Choose(bytes.Length);
            if (Coin())
            {
                bytes[at] ^= (byte)(1 << Choose(8));
            }
            else
            {
                bytes[at] = Choose(5) is int pick && pick < s_boundaryBytes.Length ? s_boundaryBytes[pick] : (byte)Choose(256);
            }
        }

        return bytes;
    }

    private byte[] CorruptField(FuzzInput input)
    {
        byte[] bytes = [.. input.Bytes];
        (int offset, int width) = input.Fields.Count > 0 ? input.Fields[Choose(input.Fields.Count)] : (0, 0);
        if (width == 0)
        {
            width = Coin() ? 2 : 4;
            offset = Choose(Math.Max(1, bytes.Length - width + 1));
        }

        width = Math.Min(width, Math.Min(8, bytes.Length - offset));
        if (width <= 0)
        {
            return Mutate(bytes);
        }

        Span<byte> field = bytes.AsSpan(offset, width);
        ulong mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        ulong current = 0;
        foreach (byte b in field)
        {
            current = (current << 8) | b;
        }

        ulong value = Choose(7) switch
        {
            0 => 0,
            1 => 1,
            2 => current + 1,
            3 => current - 1,
            4 => ulong.MaxValue,
            5 => 1UL << ((8 * width) - 1),
            _ => _random.NextULong(),
        };
        value &= mask;
        for (int i = width - 1; i >= 0; i--)
        {
            field[i] = (byte)value;
            value >>= 8;
        }

        return bytes;
    }

    private byte[] Splice(byte[] head, byte[] tail) => [.. head.AsSpan(0, Choose(head.Length + 1)), .. tail.AsSpan(Choose(tail.Length + 1))];

    private FuzzedFrame Oversize(FuzzInput input, long size)
    {
        int length = (int)Math.Min(Math.Max(size, input.Bytes.Length + 1), Array.MaxLength);
        byte[] bytes = new byte[length];
        if (input.Text && input.Bytes.Length > 0)
        {
            // The valid object with whitespace before its closing brace: still valid JSON, were it read whole.
            bytes.AsSpan().Fill((byte)' ');
            input.Bytes.AsSpan(0, input.Bytes.Length - 1).CopyTo(bytes);
            bytes[^1] = input.Bytes[^1];
        }
        else
        {
            // The valid frame again and again: a frame that decodes, but for the limit.
            for (int at = 0; at < length && input.Bytes.Length > 0; at += input.Bytes.Length)
            {
                input.Bytes.AsSpan(0, Math.Min(input.Bytes.Length, length - at)).CopyTo(bytes.AsSpan(at));
            }
        }

        return new(bytes, input.Text, FuzzKind.Oversized, true);
    }

    private byte[] Insert(byte[] bytes, byte[] insert)
    {
        int at = Choose(bytes.Length + 1);
        return [.. bytes.AsSpan(0, at), .. insert, .. bytes.AsSpan(at)];
    }

    private byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        Span<byte> word = stackalloc byte[8];
        for (int i = 0; i < length; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, _random.NextULong());
            word[..Math.Min(8, length - i)].CopyTo(bytes.AsSpan(i));
        }

        return bytes;
    }
}
