using MarketFeed.Hub;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hub;

public class HubSubscriberWakeTests
{
    [Fact]
    public async Task A_wake_with_no_reader_waiting_ends_the_next_wait_at_once_and_only_that_one()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Hub.CreateSubscriber(new SubscriberOptions { TickPolicy = TickQueuePolicy.ConflateLatest });

        // The owner queued work for its reader between the reader's last check and its wait: the wait must not miss it.
        subscriber.Wake();
        ValueTask<bool> woken = subscriber.WaitToReadAnyAsync();
        Assert.True(woken.IsCompletedSuccessfully);
        Assert.True(await woken);

        ValueTask<bool> next = subscriber.WaitToReadAnyAsync();
        Assert.False(next.IsCompleted);
        subscriber.Wake();
        Assert.True(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
