using System.Diagnostics;
using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>The desired set followed: changes queued by the subscription manager, assigned to connections, sent in batches.</summary>
public sealed partial class FeedSession
{
    private void OnDesiredChanged(DesiredChange change)
    {
        // Called under the subscription manager's lock: only queue, the reconcile loop does the work.
        if (_isMine(change.Instrument))
        {
            _changes.Enqueue(change);
            _changed.Release();
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                while (_changes.TryDequeue(out DesiredChange change))
                {
                    try
                    {
                        if (change.After is { } mode)
                        {
                            Assign(change.Instrument, mode);
                        }
                        else
                        {
                            Unassign(change.Instrument);
                        }
                    }
                    catch (Exception e)
                    {
                        // A protocol that cannot phrase one change must not stop the session following the others.
                        ReportHandlerError("subscription change", e);
                    }
                }

                SendBatch();
            }
        }
    }

    /// <summary>Puts an instrument on a connection with room (or changes its mode there); <see cref="SendBatch"/> tells that connection.</summary>
    private void Assign(InstrumentId instrument, FeedMode mode)
    {
        ShardingLimits limits = Protocol.Limits;
        if (_assigned.TryGetValue(instrument, out (int Shard, FeedMode Mode) existing))
        {
            // A mode change stays on its connection; the streams it takes there are re-counted.
            _shardStreams[existing.Shard] += Protocol.StreamsPerInstrument(mode) - Protocol.StreamsPerInstrument(existing.Mode);
            _assigned[instrument] = (existing.Shard, mode);
            _batch.Subscribe(existing.Shard, instrument, mode);
            return;
        }

        int streams = Protocol.StreamsPerInstrument(mode);
        int shard = -1;
        for (int i = 0; i < limits.Connections; i++)
        {
            if (_shardLoad.GetValueOrDefault(i) < limits.InstrumentsPerConnection
                && (long)_shardStreams.GetValueOrDefault(i) + streams <= limits.StreamsPerConnection)
            {
                shard = i;
                break;
            }
        }

        if (shard < 0)
        {
            Interlocked.Increment(ref _overCapacity);
            Logger.OverCapacity(Name, _assigned.Count + 1, limits.Capacity, 1);
            return;
        }

        _assigned[instrument] = (shard, mode);
        _shardLoad[shard] = _shardLoad.GetValueOrDefault(shard) + 1;
        _shardStreams[shard] = _shardStreams.GetValueOrDefault(shard) + streams;
        EnsureConnection(shard);
        _batch.Subscribe(shard, instrument, mode);
    }

    private void Unassign(InstrumentId instrument)
    {
        if (_assigned.Remove(instrument, out (int Shard, FeedMode Mode) held))
        {
            _shardLoad[held.Shard]--;
            _shardStreams[held.Shard] -= Protocol.StreamsPerInstrument(held.Mode);
            _batch.Unsubscribe(held.Shard, instrument);
        }
    }

    /// <summary>Sends the changes gathered since the last call, as many instruments per message as the venue takes.</summary>
    private void SendBatch() => _batch.Send(Protocol, SendTo, e => ReportHandlerError("subscription change", e));

    private void SendTo(int shard, IEnumerable<ControlMessage> messages)
    {
        if (shard < _connections.Count)
        {
            foreach (ControlMessage message in messages)
            {
                _connections[shard].Send(message);
            }
        }
    }

    private void EnsureConnection(int shard)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread, "connections are added under the session lock");
        while (!_forcePolling && _connections.Count <= shard)
        {
            var connection = new StreamConnection(this, _connections.Count);
            _connections.Add(connection);
            _connectionRuns.Add(Task.Run(() => SuperviseAsync(connection), CancellationToken.None));
        }
    }
}
