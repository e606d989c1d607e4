namespace MarketFeed.Bus.Tests.TestSupport;

/// <summary>
/// A test that needs the real RabbitMQ broker: skipped, with the reason, when no broker answers; run (and failed by
/// <see cref="RabbitMqBroker.CreateAsync"/>) under <c>CI=true</c>, where a missing broker is a broken machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RabbitMqFactAttribute : FactAttribute
{
    public RabbitMqFactAttribute()
    {
        if (!RabbitMqBroker.Required && RabbitMqBroker.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
