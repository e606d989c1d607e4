namespace MarketFeed.Emulators;

/// <summary>A running venue emulator, as the CLI sees it: how to point MarketFeed at it, and how to stop it.</summary>
public interface IVenueEmulator : IAsyncDisposable
{
    /// <summary>The base address it serves on (<c>http://127.0.0.1:PORT/</c>): give it to the module's <c>ConfigurationFor</c>.</summary>
    Uri Address { get; }

    /// <summary>Every frame sent on every socket so far (events, replies, fault and fuzzed frames).</summary>
    long FramesSent { get; }

    /// <summary>Lines for a person: where it listens, active faults, and the configuration that points a client at it.</summary>
    IReadOnlyList<string> Describe();

    /// <summary>Applies a fault spec (the shared faults and the venue's own); returns the faults now on.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number; the message lists the valid ones.</exception>
    string SetFaults(string spec);
}
