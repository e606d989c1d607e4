using System.Net.WebSockets;
using MarketFeed.Feeds;

namespace MarketFeed.Tests.Feeds;

/// <summary>The frame reader's bound: nothing past the limit is kept, and a frame at the limit is a frame.</summary>
public class FrameReaderTests
{
    [Fact]
    public async Task A_frame_of_exactly_the_limit_is_delivered_whole_even_when_its_end_comes_in_an_empty_fragment()
    {
        // A venue may finish a message with an empty final fragment: the reader then reads once more with a full buffer.
        var socket = new ScriptedSocket([(Bytes(8, 1), false), ([], true)]);
        FrameRead read = await new FrameReader(8).ReadAsync(socket, CancellationToken.None);
        Assert.False(read.Oversized);
        Assert.Equal(Bytes(8, 1), read.Payload.ToArray());
    }

    [Fact]
    public async Task A_frame_past_the_limit_is_drained_into_a_buffer_no_larger_than_the_limit()
    {
        var socket = new ScriptedSocket([(Bytes(5, 1), false), (Bytes(5, 2), false), (Bytes(5, 3), true)]);
        var reader = new FrameReader(8);
        FrameRead read = await reader.ReadAsync(socket, CancellationToken.None);
        Assert.True(read.Oversized);
        Assert.Equal(15, read.Bytes);
        Assert.True(socket.LargestBuffer <= 8, $"read into a {socket.LargestBuffer}-byte buffer");

        // The next frame is read from the start of the same buffer.
        socket.Then([(Bytes(3, 4), true)]);
        Assert.Equal(Bytes(3, 4), (await reader.ReadAsync(socket, CancellationToken.None)).Payload.ToArray());
    }

    [Fact]
    public async Task A_frame_under_the_limit_in_many_fragments_is_whole()
    {
        var socket = new ScriptedSocket([(Bytes(3, 1), false), (Bytes(3, 2), false), (Bytes(1, 3), true)]);
        FrameRead read = await new FrameReader(8).ReadAsync(socket, CancellationToken.None);
        Assert.False(read.Oversized);
        Assert.Equal([.. Bytes(3, 1), .. Bytes(3, 2), .. Bytes(1, 3)], read.Payload.ToArray());
    }

    [Fact]
    public async Task A_message_still_arriving_is_reported_after_each_fragment_so_the_silence_watchdog_waits_for_it()
    {
        // The stream's idle watchdog restarts on each report: a message longer in coming than the idle time (megabytes
        // on a slow link, an oversized frame being drained) is not a silent socket. A whole message reports nothing.
        var socket = new ScriptedSocket([(Bytes(3, 1), false), (Bytes(3, 2), false), (Bytes(1, 3), true), (Bytes(2, 4), true)]);
        var reader = new FrameReader(8);
        int reports = 0;
        FrameRead inThree = await reader.ReadAsync(socket, CancellationToken.None, () => reports++);
        Assert.Equal(7, inThree.Payload.Length);
        Assert.Equal(2, reports);

        FrameRead whole = await reader.ReadAsync(socket, CancellationToken.None, () => reports++);
        Assert.Equal(Bytes(2, 4), whole.Payload.ToArray());
        Assert.Equal(2, reports);
    }

    private static byte[] Bytes(int count, byte value) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>Hands out scripted fragments (each at most what the caller's buffer holds, as a real socket does).</summary>
    private sealed class ScriptedSocket(IEnumerable<(byte[] Data, bool End)> fragments) : WebSocket
    {
        private readonly Queue<(byte[] Data, bool End)> _fragments = new(fragments);
        private byte[] _pending = [];
        private bool _pendingEnd;

        public int LargestBuffer { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public void Then(IEnumerable<(byte[] Data, bool End)> more)
        {
            foreach ((byte[] Data, bool End) fragment in more)
            {
                _fragments.Enqueue(fragment);
            }
        }

        public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            LargestBuffer = Math.Max(LargestBuffer, buffer.Length);
            if (_pending.Length == 0)
            {
                (_pending, _pendingEnd) = _fragments.Dequeue();
            }

            int count = Math.Min(buffer.Length, _pending.Length);
            _pending.AsSpan(0, count).CopyTo(buffer.Span);
            _pending = _pending[count..];
            return ValueTask.FromResult(new ValueWebSocketReceiveResult(count, WebSocketMessageType.Binary, _pending.Length == 0 && _pendingEnd));
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Abort()
        {
        }

        public override void Dispose()
        {
        }
    }
}
