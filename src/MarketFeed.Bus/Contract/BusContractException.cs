namespace MarketFeed.Bus.Contract;

/// <summary>A message that is not a readable batch of this contract: damaged, truncated, or of another major version.</summary>
public sealed class BusContractException(string message, bool unknownVersion = false) : Exception(message)
{
    /// <summary>True when the message is whole but of a major version this consumer does not read.</summary>
    public bool UnknownVersion { get; } = unknownVersion;
}
