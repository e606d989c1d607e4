namespace MarketFeed.Server.Api.Schemas;

/// <summary>The message bus this gateway publishes to or consumes from (docs/bus.md).</summary>
internal sealed class BusStatusResponse
{
    /// <summary><c>publisher</c> (the gateway publishes what its hub admits) or <c>consumer</c> (it runs <c>--feed bus</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The broker connection: <c>connected</c>, <c>connecting</c> or <c>error</c> (see <c>error</c>; the gateway keeps serving).</summary>
    public required string State { get; init; }

    /// <summary>The broker URL with its password replaced by <c>***</c>.</summary>
    public required string Url { get; init; }

    /// <summary>This process's name on the bus (<c>Bus:GatewayId</c>).</summary>
    public required string GatewayId { get; init; }

    /// <summary>Why the broker cannot be used (unreachable, credentials refused), in one line; null when connected.</summary>
    public required string? Error { get; init; }

    /// <summary>The publishing side; null for a consumer.</summary>
    public required BusPublishResponse? Publish { get; init; }

    /// <summary>The consuming side; null for a publisher.</summary>
    public required BusConsumeResponse? Consume { get; init; }

    internal sealed class BusPublishResponse
    {
        /// <summary>This run's epoch: higher than every earlier run of this gateway, so consumers tell restarts apart.</summary>
        public required long Epoch { get; init; }

        /// <summary>The shards (streams) this gateway owns and publishes.</summary>
        public required int[] Shards { get; init; }

        /// <summary>Events put into batches since start.</summary>
        public required long Events { get; init; }

        /// <summary>Events batched per second, over the last second.</summary>
        public required double EventsPerSecond { get; init; }

        /// <summary>Batches (messages) sealed since start.</summary>
        public required long Batches { get; init; }

        /// <summary>Batches the broker confirmed.</summary>
        public required long Confirmed { get; init; }

        /// <summary>Batches sent again after a failed channel or connection (consumers drop the duplicates).</summary>
        public required long Republished { get; init; }

        /// <summary>Events lost before the broker: the outbox was full (broker away too long) or the hub's firehose overflowed.</summary>
        public required long Dropped { get; init; }

        /// <summary>Batches held now: waiting, in flight, or unconfirmed.</summary>
        public required int Buffered { get; init; }

        /// <summary>Batches sent and not yet confirmed now.</summary>
        public required int Unconfirmed { get; init; }

        /// <summary>Publish to broker confirm over the last minute; null before the first confirm.</summary>
        public required StatusResponse.LatencyResponse? ConfirmLatency { get; init; }

        /// <summary>
        /// Owned shards another gateway publishes now (it holds the shard's lock queue): this one stands by, drops their
        /// events (counted in dropped) and takes them over when that gateway is gone. Empty when it publishes all it owns.
        /// </summary>
        public required int[] StandingBy { get; init; }
    }

    internal sealed class BusConsumeResponse
    {
        /// <summary>The shards (streams) read.</summary>
        public required int[] Shards { get; init; }

        /// <summary>Events taken since start (state rounds not counted).</summary>
        public required long Events { get; init; }

        /// <summary>Events taken per second, over the last second.</summary>
        public required double EventsPerSecond { get; init; }

        /// <summary>Batches (messages) read.</summary>
        public required long Batches { get; init; }

        /// <summary>Sequence gaps found (per instrument and channel, or in a producer's batch numbers); each is logged.</summary>
        public required long Gaps { get; init; }

        /// <summary>Events or batches seen twice (sent again after a reconnect) and dropped.</summary>
        public required long Duplicates { get; init; }

        /// <summary>Restarted producers whose numbers stepped back (their saved marks trailed what they had sent).</summary>
        public required long Rewinds { get; init; }

        /// <summary>Messages skipped as damaged (checksum, truncation).</summary>
        public required long Damaged { get; init; }

        /// <summary>Messages skipped for a contract major version this gateway does not read.</summary>
        public required long UnknownVersion { get; init; }

        /// <summary>The last message skipped: its stream, offset and what was wrong; null when none.</summary>
        public required string? LastSkipped { get; init; }

        /// <summary>Receive time at the producer to delivery here, over the last minute; null before the first tick.</summary>
        public required StatusResponse.LatencyResponse? Latency { get; init; }

        /// <summary>Every producer heard from.</summary>
        public required BusProducerResponse[] Producers { get; init; }

        /// <summary>The most recent sequence gaps (at most 20), oldest first.</summary>
        public required BusGapResponse[] RecentGaps { get; init; }
    }

    internal sealed class BusProducerResponse
    {
        public required string GatewayId { get; init; }

        /// <summary>The producer's current epoch.</summary>
        public required long Epoch { get; init; }

        /// <summary><c>live</c>, <c>silent</c> (nothing for <c>Bus:ProducerTimeout</c>: its instruments are in <c>error</c>) or <c>stopped</c> (it said so).</summary>
        public required string State { get; init; }

        /// <summary>Milliseconds since the producer last sent (by its own send time).</summary>
        public required long AgeMs { get; init; }

        /// <summary>Instruments it sends.</summary>
        public required int Instruments { get; init; }
    }

    internal sealed class BusGapResponse
    {
        /// <summary>The instrument, or <c>*</c> for a gap in a producer's batch numbers.</summary>
        public required string Symbol { get; init; }

        /// <summary><c>tick</c>, <c>book</c>, <c>candle</c>, <c>state</c>, or <c>batch</c>.</summary>
        public required string Channel { get; init; }

        public required string Producer { get; init; }

        /// <summary>First missing number.</summary>
        public required long From { get; init; }

        /// <summary>Last missing number.</summary>
        public required long To { get; init; }

        /// <summary>When the gap was found (UTC).</summary>
        public required DateTime At { get; init; }
    }
}
