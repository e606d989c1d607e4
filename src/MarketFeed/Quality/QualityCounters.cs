namespace MarketFeed.Quality;

/// <summary>
/// Every admission decision has a counter. One instance per hub partition, written only by that partition's
/// thread; readers sum partitions (64-bit reads are atomic, and a slightly old total is fine for status).
/// </summary>
public sealed class QualityCounters
{
    public long Received;
    public long BookMessages;
    public long Accepted;
    public long DroppedUnwanted;
    public long DroppedUnknownInstrument;
    public long DroppedDuplicate;
    public long RejectedInvalidPrice;
    public long RejectedInvalidQuantity;
    public long RejectedFutureTimestamp;
    public long RejectedInconsistent;
    public long FlaggedOutOfOrder;
    public long FlaggedOutlier;
    public long FlaggedClockAhead;
    public long LateForCandles;
    public long VolumeResets;
    public long Books;
    public long BooksSynced;
    public long BookGaps;
    public long BookResyncs;
    public long BookChecksumFailures;

    public void AddTo(QualitySnapshot total)
    {
        total.Received += Volatile.Read(ref Received);
        total.BookMessages += Volatile.Read(ref BookMessages);
        total.Accepted += Volatile.Read(ref Accepted);
        total.DroppedUnwanted += Volatile.Read(ref DroppedUnwanted);
        total.DroppedUnknownInstrument += Volatile.Read(ref DroppedUnknownInstrument);
        total.DroppedDuplicate += Volatile.Read(ref DroppedDuplicate);
        total.RejectedInvalidPrice += Volatile.Read(ref RejectedInvalidPrice);
        total.RejectedInvalidQuantity += Volatile.Read(ref RejectedInvalidQuantity);
        total.RejectedFutureTimestamp += Volatile.Read(ref RejectedFutureTimestamp);
        total.RejectedInconsistent += Volatile.Read(ref RejectedInconsistent);
        total.FlaggedOutOfOrder += Volatile.Read(ref FlaggedOutOfOrder);
        total.FlaggedOutlier += Volatile.Read(ref FlaggedOutlier);
        total.FlaggedClockAhead += Volatile.Read(ref FlaggedClockAhead);
        total.LateForCandles += Volatile.Read(ref LateForCandles);
        total.VolumeResets += Volatile.Read(ref VolumeResets);
        total.Books += Volatile.Read(ref Books);
        total.BooksSynced += Volatile.Read(ref BooksSynced);
        total.BookGaps += Volatile.Read(ref BookGaps);
        total.BookResyncs += Volatile.Read(ref BookResyncs);
        total.BookChecksumFailures += Volatile.Read(ref BookChecksumFailures);
    }
}
