namespace MarketFeed.LoadTest.Soak;

/// <summary>One row of the soak's samples. Rates are over the interval since the previous sample; counts are cumulative.</summary>
internal sealed record SoakSample
{
    public required TimeSpan At { get; init; }

    public required bool WarmingUp { get; init; }

    /// <summary>Faults on at the time of the sample, e.g. <c>refuse,drop+ratelimit=20</c>.</summary>
    public required string Faults { get; init; }

    public required double RssMegabytes { get; init; }

    public required double EmulatorTicksPerSecond { get; init; }

    public required double HubAcceptedPerSecond { get; init; }

    public required double ClientTicksPerSecond { get; init; }

    public required double LatencyP50Ms { get; init; }

    public required double LatencyP99Ms { get; init; }

    public required double LatencyMaxMs { get; init; }

    /// <summary>The gateway's own histogram (receive → send), as the bucket bound holding 99 % of the interval's sends.</summary>
    public required string ServerLatencyP99 { get; init; }

    public required int Readyz { get; init; }

    public required int ClientsUp { get; init; }

    public required long Stalls { get; init; }

    public required GatewayStatus Status { get; init; }

    public required CheckCounts Checks { get; init; }
}
