using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Journal;

/// <summary>
/// Golden raw recordings: a few seconds of each venue emulator's real bytes (and REST answers) under
/// <c>Journal/Golden/&lt;venue&gt;/raw/</c>, and beside them <c>expected.txt</c>, the ticks the venue's decoder derived
/// from them, one line each. Each is replayed through the venue's own feed session and decoder; a change that alters
/// what is derived fails here. To re-record them (after a deliberate change), run the suite with
/// <c>MARKETFEED_REGENERATE_GOLDEN=1</c>: see docs/journal.md.
/// </summary>
public class GoldenRecordingTests
{
    private const string RegenerateVariable = "MARKETFEED_REGENERATE_GOLDEN";

    [Theory]
    [InlineData("kite")]
    [InlineData("binance")]
    [InlineData("dhan")]
    [InlineData("upstox")]
    [InlineData("finnhub")]
    public async Task The_decoder_derives_what_it_derived_from_the_golden_recording(string venue)
    {
        string golden = Path.Combine(GoldenDirectory(), venue);
        string expected = Path.Combine(golden, "expected.txt");
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            await RegenerateAsync(venue, golden, expected);
        }

        Assert.True(File.Exists(expected), $"{expected} is missing: regenerate with {RegenerateVariable}=1");
        string replayed = Directory.CreateTempSubdirectory("mf-golden-").FullName;
        await RawJournalRig.ReplayAsync(golden, replayed, seedHistory: false);

        Assert.Equal(await File.ReadAllLinesAsync(expected), RawJournalRig.TickLines(replayed));
    }

    [Fact]
    public async Task A_feed_that_connects_before_it_subscribes_is_played_to_only_after_its_subscription()
    {
        // Started the usual way, the feed connects with nothing to subscribe and sends its idle probe first: the replay
        // must wait for the recorded subscription itself, not for any first message, or the hub would drop every frame
        // as unwanted (the subscription reaches it after them).
        string replayed = Directory.CreateTempSubdirectory("mf-golden-late-").FullName;
        await RawJournalRig.ReplayAsync(Path.Combine(GoldenDirectory(), "dhan"), replayed, seedHistory: false, subscribeBeforeConnecting: false);

        Assert.Equal(await File.ReadAllLinesAsync(Path.Combine(GoldenDirectory(), "dhan", "expected.txt")), RawJournalRig.TickLines(replayed));
    }

    private static async Task RegenerateAsync(string venue, string golden, string expected)
    {
        if (Directory.Exists(golden))
        {
            Directory.Delete(golden, recursive: true);
        }

        string recording = Directory.CreateTempSubdirectory("mf-golden-rec-").FullName;
        await RawJournalRig.RecordAsync(venue, recording, ticks: 30, ticksPerSecond: 10, seedHistory: false);
        Directory.CreateDirectory(Path.Combine(golden, "raw"));
        foreach (string segment in Directory.EnumerateFiles(Path.Combine(recording, "raw")))
        {
            File.Copy(segment, Path.Combine(golden, "raw", Path.GetFileName(segment)));
        }

        // The expected lines are what the decoder derives on replay (live, the last frames may not reach the hub).
        string replayed = Directory.CreateTempSubdirectory("mf-golden-").FullName;
        await RawJournalRig.ReplayAsync(golden, replayed, seedHistory: false);
        await File.WriteAllLinesAsync(expected, RawJournalRig.TickLines(replayed));
    }

    /// <summary>The golden folder in the source tree (found from the test assembly's folder upwards), so regenerating writes there.</summary>
    private static string GoldenDirectory()
    {
        for (DirectoryInfo? at = new(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            string candidate = Path.Combine(at.FullName, "tests", "MarketFeed.Tests", "Journal", "Golden");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/MarketFeed.Tests/Journal/Golden not found above " + AppContext.BaseDirectory);
    }
}
