using System.Text.Json;
using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Publishing;

/// <summary>
/// The producer's epoch and per-instrument, per-channel bus sequence high-water marks, kept in
/// <c>{StateDirectory}/bus-{gateway}.json</c> (written whole to a temporary file, then renamed over the old one). A
/// restart reads it: the epoch moves on (never below the clock's Unix seconds, so a lost file still gives a new epoch)
/// and every sequence continues from its mark. After a crash the marks may trail what was sent by up to one write
/// interval: the consumer sees those numbers again in the new epoch and reports them as rewound, never as news lost.
/// </summary>
internal sealed class SequenceStore
{
    private const int Channels = 4;

    private readonly string? _path;
    private readonly Dictionary<string, long[]> _marks = new(StringComparer.Ordinal);
    private bool _dirty;

    private SequenceStore(string? path, uint epoch)
    {
        _path = path;
        Epoch = epoch;
    }

    public uint Epoch { get; }

    public static SequenceStore Open(string? directory, string gatewayId, DateTime now)
    {
        uint clock = (uint)Math.Max(1, new DateTimeOffset(now).ToUnixTimeSeconds());
        if (string.IsNullOrWhiteSpace(directory))
        {
            return new SequenceStore(null, clock);
        }

        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"bus-{string.Concat(gatewayId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'))}.json");
        uint previous = 0;
        var loaded = new Dictionary<string, long[]>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
                previous = document.RootElement.GetProperty("epoch").GetUInt32();
                foreach (JsonProperty mark in document.RootElement.GetProperty("seqs").EnumerateObject())
                {
                    long[] values = new long[Channels];
                    int i = 0;
                    foreach (JsonElement value in mark.Value.EnumerateArray())
                    {
                        if (i < Channels)
                        {
                            values[i++] = value.GetInt64();
                        }
                    }

                    loaded[mark.Name] = values;
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // An unreadable file counts as none: a new epoch tells consumers the numbers restart.
                loaded.Clear();
            }
        }

        var store = new SequenceStore(path, Math.Max(previous + 1, clock));
        foreach ((string symbol, long[] values) in loaded)
        {
            store._marks[symbol] = values;
        }

        store._dirty = true;
        return store;
    }

    /// <summary>The next number of <paramref name="symbol"/> on <paramref name="channel"/>.</summary>
    public long Next(string symbol, BusChannel channel)
    {
        long[] marks = Marks(symbol);
        _dirty = true;
        return ++marks[(int)channel];
    }

    /// <summary>The last number given on <paramref name="channel"/> (0: none yet).</summary>
    public long Current(string symbol, BusChannel channel) => Marks(symbol)[(int)channel];

    /// <summary>Writes the marks if they changed since the last write; false when there is nowhere to write or it failed.</summary>
    public bool Save()
    {
        if (_path is null || !_dirty)
        {
            return _path is not null;
        }

        string temporary = _path + ".tmp";
        try
        {
            using (FileStream file = File.Create(temporary))
            using (var json = new Utf8JsonWriter(file))
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", Epoch);
                json.WriteStartObject("seqs");
                foreach ((string symbol, long[] marks) in _marks)
                {
                    json.WriteStartArray(symbol);
                    foreach (long mark in marks)
                    {
                        json.WriteNumberValue(mark);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            File.Move(temporary, _path, overwrite: true);
            _dirty = false;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long[] Marks(string symbol)
    {
        if (!_marks.TryGetValue(symbol, out long[]? marks))
        {
            marks = new long[Channels];
            _marks[symbol] = marks;
        }

        return marks;
    }
}
