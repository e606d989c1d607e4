using Xunit.Abstractions;
using Xunit.Sdk;

namespace MarketFeed.Tests.TestSupport;

/// <summary>Decides per test class (not per declaring class) whether a <see cref="StoreFactAttribute"/> test needs PostgreSQL.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        Type? type = testMethod.TestClass.Class.ToRuntimeType();
        if (type is not null && typeof(INeedsPostgres).IsAssignableFrom(type) && !PostgresServer.Required && PostgresServer.MissingReason is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
