namespace MarketFeed.Quality;

internal enum AdmissionVerdict
{
    Accept,
    RejectInvalidPrice,
    RejectInvalidQuantity,
    RejectFutureTimestamp,
    RejectInconsistent,
    DropDuplicate,
}
