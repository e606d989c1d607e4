namespace MarketFeed.History;

/// <summary>What reconciliation and backfill have done since start (status and metrics).</summary>
public sealed record ReconciliationStatus(
    long Checked,
    long Revised,
    long Backfilled,
    long Failed,
    long Unmatched,
    long Requests,
    long Outages,
    int Pending);
