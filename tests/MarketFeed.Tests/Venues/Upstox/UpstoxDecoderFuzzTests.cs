using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Tests.Feeds;
using MarketFeed.Venues.Upstox.Emulator;
using Xunit.Abstractions;

namespace MarketFeed.Tests.Venues.Upstox;

public sealed class UpstoxDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await UpstoxFuzzRig.StartAsync();
}
