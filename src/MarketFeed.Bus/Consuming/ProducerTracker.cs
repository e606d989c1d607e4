using System.Collections.Concurrent;
using MarketFeed.Health;
using MarketFeed.Model;

namespace MarketFeed.Bus.Consuming;

/// <summary>
/// Every producer heard on the bus: when it last sent (by the time it stamped its batches, so history read at start
/// does not make a dead producer look alive), whether it said it stopped, and which instruments it sends.
/// </summary>
internal sealed class ProducerTracker(TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, Producer> _producers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<InstrumentId, Producer> _owners = new();

    public void Heard(string gatewayId, uint epoch, DateTime sentAt, bool stopping = false)
    {
        Producer producer = _producers.GetOrAdd(gatewayId, id => new Producer(id));
        lock (producer)
        {
            if (epoch != producer.Epoch)
            {
                producer.Epoch = epoch;
                producer.Stopped = false;
            }

            if (sentAt > producer.LastSent)
            {
                producer.LastSent = sentAt;
                producer.Stopped = stopping;
            }
            else if (stopping)
            {
                producer.Stopped = true;
            }
        }
    }

    /// <summary>Notes that <paramref name="gatewayId"/> sends <paramref name="instrument"/> (taking it from any other producer).</summary>
    public void Sends(string gatewayId, InstrumentId instrument)
    {
        Producer producer = _producers.GetOrAdd(gatewayId, id => new Producer(id));
        Producer previous = _owners.GetOrAdd(instrument, producer);
        if (!ReferenceEquals(previous, producer))
        {
            _owners[instrument] = producer;
        }
    }

    /// <summary>Why <paramref name="instrument"/>'s producer cannot be trusted now (silent or stopped), or null.</summary>
    public string? Problem(InstrumentId instrument, DateTime now) =>
        _owners.TryGetValue(instrument, out Producer? producer) ? producer.Problem(now, timeout) : null;

    public IEnumerable<InstrumentId> Instruments => _owners.Keys;

    public IReadOnlyList<BusProducerStatus> Report(DateTime now)
    {
        var counts = _owners.Values.GroupBy(p => p.GatewayId).ToDictionary(g => g.Key, g => g.Count());
        return [.. _producers.Values.OrderBy(p => p.GatewayId, StringComparer.Ordinal).Select(p =>
        {
            lock (p)
            {
                string state = p.Stopped ? "stopped" : now - p.LastSent > timeout ? "silent" : "live";
                return new BusProducerStatus(p.GatewayId, p.Epoch, state, (long)Math.Max(0, (now - p.LastSent).TotalMilliseconds), counts.GetValueOrDefault(p.GatewayId));
            }
        })];
    }

    private sealed class Producer(string gatewayId)
    {
        public string GatewayId { get; } = gatewayId;

        public uint Epoch { get; set; }

        public DateTime LastSent { get; set; }

        public bool Stopped { get; set; }

        public string? Problem(DateTime now, TimeSpan timeout)
        {
            lock (this)
            {
                if (Stopped)
                {
                    return $"its producer {GatewayId} stopped at {LastSent:HH:mm:ss} UTC";
                }

                TimeSpan silent = now - LastSent;
                return silent > timeout ? $"its producer {GatewayId} has been silent for {silent.TotalSeconds:0} s" : null;
            }
        }
    }
}
