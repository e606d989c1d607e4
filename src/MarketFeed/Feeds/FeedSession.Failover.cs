using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>REST polling while the stream cannot serve, and back: the failover loop and what it reports.</summary>
public sealed partial class FeedSession
{
    /// <summary>Polling on purpose: there is no stream, so the state follows the REST rounds alone.</summary>
    private void RefreshForcedPollingState()
    {
        if (_authFailed || _poller is null)
        {
            return;
        }

        if (_pollOutcome == PollOutcome.Failed)
        {
            Health.SetState(FeedState.Disconnected, "REST polling failing: " + Health.LastError);
        }
        else
        {
            Health.SetState(FeedState.Polling, "polling over REST on purpose (Feeds:" + Name + ":Mode = Polling)");
        }
    }

    private void StopPolling()
    {
        Volatile.Write(ref _polling, false);
        _pollOutcome = PollOutcome.None;
        _pollRound?.Cancel();
    }

    /// <summary>While no data has flowed past the failover time, polls wanted instruments over REST at the poller's rate.</summary>
    private async Task FailoverLoopAsync(CancellationToken cancellationToken)
    {
        if (_poller is null)
        {
            return;
        }

        var failures = new ReconnectBackoff(Options.ReconnectBaseDelay, Options.RecoveryProbeInterval);
        while (!cancellationToken.IsCancellationRequested)
        {
            InstrumentId[] wanted;
            bool shouldPoll;
            CancellationToken credentials = CredentialsChanged;
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lock (_gate)
            {
                // Only what no flowing connection carries: a shard that is down is polled, the others stream on.
                wanted = [.. _assigned.Where(a => a.Value.Shard >= _connections.Count || !_connections[a.Value.Shard].IsFlowing).Select(a => a.Key)];
                shouldPoll = wanted.Length > 0 && (_forcePolling || (_downSince is { } since && Time.GetUtcNow().UtcDateTime - since >= Options.FailoverAfter));
                if (shouldPoll != Volatile.Read(ref _polling))
                {
                    if (shouldPoll)
                    {
                        Volatile.Write(ref _polling, true);
                    }
                    else
                    {
                        StopPolling();
                    }

                    RefreshState();
                }

                _pollRound = shouldPoll ? round : null;
            }

            if (!shouldPoll)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            TimeSpan next = _poller.Interval;
            bool authFailed = false;
            try
            {
                IReadOnlyList<Tick> ticks = await _poller.PollAsync(wanted, round.Token).ConfigureAwait(false);
                foreach (Tick tick in ticks)
                {
                    // Checked before each tick: once the stream delivers again a polled tick is stale, even one of this round.
                    if (round.IsCancellationRequested || !Volatile.Read(ref _polling))
                    {
                        break;
                    }

                    await Context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
                }

                failures.Reset();
                ReportPollOutcome(PollOutcome.Succeeded, null);
            }
            catch (OperationCanceledException) when (round.IsCancellationRequested)
            {
                // The stream came back during the round (its results are stale, dropped), or the session is stopping.
                // Any other cancellation — an HTTP client's timeout — is REST failing and handled below.
            }
            catch (AuthenticationRejectedException e)
            {
                Health.CountPollFailure();
                next = Options.AuthRetryDelay;
                authFailed = true;
                lock (_gate)
                {
                    // Only while still polling: a rejection landing after the stream came back (and so accepted the
                    // credentials) must not mark the flowing feed auth_failed.
                    if (Volatile.Read(ref _polling))
                    {
                        ReportAuthFailed(-1, e.Message, null);
                        Logger.AuthFailed(Name, FeedHealth.Sanitize(e.Message)!, Options.AuthRetryDelay);
                    }
                }
            }
            catch (Exception e)
            {
                Health.CountPollFailure();
                next = failures.Next();
                if (next < _poller.Interval)
                {
                    next = _poller.Interval;
                }

                ReportPollOutcome(PollOutcome.Failed, e);
            }
            finally
            {
                lock (_gate)
                {
                    // Cleared before the source is disposed, so StopPolling never cancels a disposed source.
                    _pollRound = null;
                }
            }

            await WaitBeforeRetryAsync(next, authFailed ? credentials : CancellationToken.None, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReportPollOutcome(PollOutcome outcome, Exception? failure)
    {
        lock (_gate)
        {
            _pollError = failure is null ? null : "REST polling failed: " + failure.Message;
            if (!Volatile.Read(ref _polling))
            {
                if (_pollError is not null)
                {
                    Health.RecordError(_pollError);
                }

                return;
            }

            if (outcome == PollOutcome.Succeeded)
            {
                // REST accepted the credentials, so an earlier rejection is over.
                _authFailed = false;
            }
            else if (_pollOutcome != PollOutcome.Failed)
            {
                Logger.PollingFailed(Name, FeedHealth.Sanitize(failure?.Message)!);
            }

            _pollOutcome = outcome;
            RefreshState();
            if (_pollError is not null && Health.State != FeedState.Disconnected)
            {
                Health.RecordError(_pollError);
            }
        }
    }
}
