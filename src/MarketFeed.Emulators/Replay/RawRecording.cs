using System.Text;
using MarketFeed.Journal;

namespace MarketFeed.Emulators.Replay;

/// <summary>
/// A recording's raw log, read for replay: the venue it came from (the segment header's source), its connections'
/// lives with their frames, the REST answers, and the symbols recorded (a <c>symbols</c> marker, when present).
/// </summary>
public sealed class RawRecording
{
    /// <summary>The prefix of the raw log's marker that lists the recorded symbols, comma-separated.</summary>
    public const string SymbolsMarker = "symbols ";

    private RawRecording(string source, uint decoderVersion)
    {
        Source = source;
        DecoderVersion = decoderVersion;
    }

    /// <summary>The feed that was recorded (e.g. the venue's name).</summary>
    public string Source { get; }

    public uint DecoderVersion { get; }

    public List<RecordedConnection> Connections { get; } = [];

    public RecordedRestAnswers Rest { get; } = new();

    public IReadOnlyList<string> Symbols { get; private set; } = [];

    /// <summary>The earliest recorded time: frame times are paced from here.</summary>
    public DateTime Start { get; private set; } = DateTime.MaxValue;

    /// <summary>Frames received from the venue, over all connections.</summary>
    public int InboundFrames => Connections.Sum(c => c.Inbound);

    /// <summary>The source named in the raw log's first segment header.</summary>
    /// <exception cref="JournalException">No raw log, or its header is not readable; the message names the file.</exception>
    public static SegmentHeader ReadHeader(string directory)
    {
        IReadOnlyList<string> segments = JournalFiles.Segments(directory, JournalLogKind.Raw);
        if (segments.Count == 0)
        {
            throw new JournalException($"{directory}: no raw log (raw/) to replay through a venue's decoder; record with `marketfeed record --feed VENUE`");
        }

        using JournalSegmentReader reader = JournalSegmentReader.Open(segments[0]);
        return reader.Header;
    }

    /// <summary>Reads the raw log of <paramref name="directory"/> between <paramref name="from"/> and <paramref name="to"/>.</summary>
    /// <exception cref="JournalException">Not a journal, no raw log, or an unreadable header.</exception>
    public static RawRecording Load(string directory, DateTime? from = null, DateTime? to = null)
    {
        SegmentHeader header = ReadHeader(directory);
        var recording = new RawRecording(header.Source, header.DecoderVersion);
        var open = new Dictionary<uint, RecordedConnection>();
        foreach (JournalRecord record in new JournalLogReader(directory, JournalLogKind.Raw).Read(from, to))
        {
            recording.Start = record.RecordedAt < recording.Start ? record.RecordedAt : recording.Start;
            switch (record.Kind)
            {
                case JournalRecordKind.Connected:
                    open[record.Stream] = recording.StartConnection(record.Stream, Encoding.UTF8.GetString(record.Payload.Span));
                    break;
                case JournalRecordKind.Disconnected when open.Remove(record.Stream, out RecordedConnection? ended):
                    ended.EndedBecause = Encoding.UTF8.GetString(record.Payload.Span);
                    break;
                case JournalRecordKind.FrameIn or JournalRecordKind.FrameOut:
                    if (!open.TryGetValue(record.Stream, out RecordedConnection? connection))
                    {
                        // A recording without connection markers: one life per connection number.
                        connection = open[record.Stream] = recording.StartConnection(record.Stream, null);
                    }

                    connection.Frames.Add(new RecordedFrame(
                        record.RecordedAt, record.Kind == JournalRecordKind.FrameIn, (record.Flags & JournalFormat.TextFrame) != 0, record.Payload.ToArray()));
                    break;
                case JournalRecordKind.RestResponse:
                    (string request, ReadOnlyMemory<byte> body) = JournalRawFrameTap.ReadRestResponse(record.Payload);
                    recording.Rest.Add(request, body.ToArray());
                    break;
                case JournalRecordKind.Marker when record.Payload.Span.StartsWith(Encoding.UTF8.GetBytes(SymbolsMarker)):
                    recording.Symbols = Encoding.UTF8.GetString(record.Payload.Span[SymbolsMarker.Length..])
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
            }
        }

        return recording;
    }

    /// <summary>The <c>scheme://host:port</c> of every recorded stream endpoint (to rewrite where a REST answer names one).</summary>
    public IEnumerable<string> EndpointOrigins() =>
        Connections.Select(c => c.Endpoint is not null && Uri.TryCreate(c.Endpoint, UriKind.Absolute, out Uri? uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>();

    private RecordedConnection StartConnection(uint stream, string? endpoint)
    {
        var connection = new RecordedConnection(stream, endpoint);
        Connections.Add(connection);
        return connection;
    }
}
