namespace MarketFeed.Hub;

/// <summary>A job that must run on a partition's thread (it touches single-writer state), completed with a result.</summary>
internal abstract class PartitionWork
{
    public abstract void Run(HubPartition partition);
}

internal sealed class PartitionWork<T>(Func<HubPartition, T> job) : PartitionWork
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Completion => _completion.Task;

    public override void Run(HubPartition partition)
    {
        try
        {
            _completion.TrySetResult(job(partition));
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    public void Cancel() => _completion.TrySetCanceled();
}
