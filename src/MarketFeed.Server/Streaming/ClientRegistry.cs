namespace MarketFeed.Server.Streaming;

/// <summary>Counts streaming clients against <see cref="ServerOptions.MaxClients"/>.</summary>
internal sealed class ClientRegistry(ServerOptions options)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= options.MaxClients)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _count);
}
