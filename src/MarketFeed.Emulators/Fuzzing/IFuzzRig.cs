using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// One venue set up for a <see cref="DecoderFuzzRun"/>: its emulator, and its real feed in a <see cref="MarketFeedHost"/>
/// connected to it over loopback. Each venue provides one (see <see cref="IVenueModule.StartFuzzRigAsync"/>).
/// </summary>
public interface IFuzzRig : IAsyncDisposable
{
    string Venue { get; }

    MarketFeedHost Host { get; }

    /// <summary>The feed under test.</summary>
    FeedHealth Health { get; }

    /// <summary>The feed session's frame limit: oversized fuzzed frames are past it.</summary>
    int MaxFrameBytes { get; }

    /// <summary>Watched instruments: never fuzzed, each tick checked against <see cref="ControlTicks"/>.</summary>
    IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; }

    /// <summary>Instruments whose frames are fuzzed (subscribed, so what gets through reaches the hub).</summary>
    IReadOnlyList<string> Targets { get; }

    /// <summary>Every fuzzed frame the emulator sent, each judged as the feed's client will: rejected (over the frame limit, or unreadable to the venue's protocol) or read.</summary>
    FuzzTally Tally { get; }

    /// <summary>Every tick the emulator sent for a control, as the feed decodes it, by native key.</summary>
    SentTickLog ControlTicks { get; }

    /// <summary>Every frame the emulator sent, of any kind.</summary>
    long FramesSent { get; }

    /// <summary>Applies a fault spec (<c>EmulatorFaults.Apply</c>) to the emulator.</summary>
    string SetFaults(string spec);
}
