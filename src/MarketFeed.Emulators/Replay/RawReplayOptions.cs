namespace MarketFeed.Emulators.Replay;

/// <summary>How a raw recording is played back.</summary>
public sealed class RawReplayOptions
{
    /// <summary>1 keeps the recorded pace between frames, 10 is ten times faster; 0 (the default) sends as fast as the feed reads.</summary>
    public double Speed { get; set; }

    /// <summary>
    /// Before a frame the venue sent after the feed's n-th message (a subscribe, say), the replay waits for the feed's
    /// n-th message — at most this long (default 2 s), so a message the replaying feed does not send (an idle probe) never stalls it.
    /// </summary>
    public TimeSpan ReplyWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The port on 127.0.0.1 (0, the default: any free port).</summary>
    public int Port { get; set; }
}
