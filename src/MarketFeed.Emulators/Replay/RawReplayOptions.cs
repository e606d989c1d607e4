namespace MarketFeed.Emulators.Replay;

/// <summary>How a raw recording is played back.</summary>
public sealed class RawReplayOptions
{
    /// <summary>1 keeps the recorded pace between frames, 10 is ten times faster; 0 (the default) sends as fast as the feed reads.</summary>
    public double Speed { get; set; }

    /// <summary>
    /// Before a connection's first venue frame, the replay waits for the feed to send what it had sent before it in the
    /// recording (its subscriptions: the same bytes, or as many messages and then half a second of quiet) — at most
    /// this long (default 5 s), so a feed that sends less never stalls it.
    /// </summary>
    public TimeSpan ReplyWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The port on 127.0.0.1 (0, the default: any free port).</summary>
    public int Port { get; set; }
}
