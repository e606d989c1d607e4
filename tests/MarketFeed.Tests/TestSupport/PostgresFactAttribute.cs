namespace MarketFeed.Tests.TestSupport;

/// <summary>
/// A test that needs the real PostgreSQL: skipped, with the reason, when no server answers; run (and failed) under
/// <c>CI=true</c>, where a missing server is a broken machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.Required && PostgresServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
