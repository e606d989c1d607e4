using MarketFeed.Feeds;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// Says whether a feed rejects (and counts) a fuzzed frame, by decoding it with a second instance of the venue's own
/// stream protocol, as the feed's session will. Called on the emulator's loop; locked so it never decodes two at once.
/// </summary>
public sealed class FrameJudge(IStreamProtocol judge, int frameLimit)
{
    private readonly StreamEvents _judged = new();
    private readonly Lock _gate = new();

    public bool Rejects(FuzzedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Kind == FuzzKind.InvalidUtf8)
        {
            // Never reaches the feed: its WebSocket fails the connection first.
            return false;
        }

        if (frame.Bytes.Length > frameLimit)
        {
            return true;
        }

        lock (_gate)
        {
            _judged.Clear();
            try
            {
                return judge.Decode(new StreamFrame(frame.Bytes, frame.Text, DateTime.UtcNow, 0), _judged).Kind == FrameOutcomeKind.Malformed;
            }
            catch (Exception)
            {
                // The session counts it as a handler error; the run reports those on their own.
                return true;
            }
            finally
            {
                _judged.Discard();
            }
        }
    }
}
