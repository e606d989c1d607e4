using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Tests.Feeds;
using MarketFeed.Venues.Finnhub.Emulator;
using Xunit.Abstractions;

namespace MarketFeed.Tests.Venues.Finnhub;

public sealed class FinnhubDecoderFuzzTests(ITestOutputHelper output) : DecoderFuzzTests(output)
{
    protected override async Task<IFuzzRig> StartAsync() => await FinnhubFuzzRig.StartAsync();
}
