using System.Text;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Streaming;

/// <summary>Writes <c>event: TYPE</c> / <c>data: JSON</c> frames; the JSON is one line, so one data line suffices.</summary>
internal sealed class ServerSentEventsTransport(HttpResponse response) : IClientTransport
{
    private static readonly byte[] s_eventPrefix = "event: "u8.ToArray();
    private static readonly byte[] s_dataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();
    private static readonly byte[] s_tick = "tick"u8.ToArray();
    private static readonly byte[] s_candle = "candle"u8.ToArray();
    private static readonly byte[] s_book = "book"u8.ToArray();

    public string Name => "sse";

    /// <summary>Events are already written a pass at a time; there is no frame to pack them into.</summary>
    public bool Batched { get; set; }

    private bool _batching;

    public void BeginBatch() => _batching = true;

    public async Task EndBatchAsync(CancellationToken cancellationToken)
    {
        _batching = false;
        await response.Body.FlushAsync(cancellationToken);
    }

    public async ValueTask SendAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(s_eventPrefix, cancellationToken);
        await response.Body.WriteAsync(EventName(type), cancellationToken);
        await response.Body.WriteAsync(s_dataPrefix, cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync(s_end, cancellationToken);
        if (!_batching)
        {
            await response.Body.FlushAsync(cancellationToken);
        }
    }

    /// <summary>The event names are a fixed set, encoded once; anything else is encoded as it comes.</summary>
    private static byte[] EventName(string type) => type switch
    {
        "tick" => s_tick,
        "candle" => s_candle,
        "book" => s_book,
        _ => Encoding.UTF8.GetBytes(type),
    };

    public async Task CloseAsync(string reason, bool policyViolation, CancellationToken cancellationToken)
    {
        byte[] json = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { type = "error", message = reason }));
        await SendAsync("error", json, cancellationToken);
    }
}
