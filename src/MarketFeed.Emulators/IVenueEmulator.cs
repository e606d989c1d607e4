namespace MarketFeed.Emulators;

/// <summary>A running venue emulator, as the CLI sees it: how to point MarketFeed at it, and how to stop it.</summary>
public interface IVenueEmulator : IAsyncDisposable
{
    /// <summary>Lines for a person: where it listens, active faults, and the configuration that points a client at it.</summary>
    IReadOnlyList<string> Describe();
}
