namespace MarketFeed.Emulators.Tests.TestSupport;

internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeoutMs"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(5);
        }
    }
}
