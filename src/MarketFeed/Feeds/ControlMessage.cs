using System.Text;

namespace MarketFeed.Feeds;

/// <summary>A message to the venue (subscribe, unsubscribe, ping): text or binary, sent in order within the connection's rate.</summary>
public readonly record struct ControlMessage(ReadOnlyMemory<byte> Payload, bool IsText)
{
    public static ControlMessage Text(string text) => new(Encoding.UTF8.GetBytes(text), IsText: true);

    public static ControlMessage Binary(byte[] payload) => new(payload, IsText: false);

    public override string ToString() => IsText ? Encoding.UTF8.GetString(Payload.Span) : $"binary {Payload.Length} B";
}
