using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MarketFeed.Cli.Output;

/// <summary>Writes one compact JSON object per line, reusing one buffer.</summary>
internal sealed class JsonLines(TextWriter output)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);

    public void Write(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, MarketFeed.Serialization.JsonValues.WriterOptions))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }
}
