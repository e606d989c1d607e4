namespace MarketFeed.Emulators;

/// <summary>What every emulator takes from <c>marketfeed emulate</c>.</summary>
public sealed record EmulatorSettings(int Port, string? Faults, double TicksPerInstrumentPerSecond);
