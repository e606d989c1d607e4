using System.Text;
using System.Text.Json;
using MarketFeed.Emulators.Replay;
using MarketFeed.Journal;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Journal;

/// <summary>
/// A session recorded from a venue's emulator, replayed from its raw log through the venue's own feed session and
/// decoder, re-derives the ticks the hub admitted live: per instrument, in order, every value.
/// </summary>
public class RawReplayTests
{
    [Theory]
    [InlineData("kite")]
    [InlineData("binance")]
    [InlineData("dhan")]
    [InlineData("upstox")]
    [InlineData("finnhub")]
    [InlineData("coinbase")]
    [InlineData("kraken")]
    public async Task Replaying_the_raw_log_re_derives_the_recorded_ticks(string venue)
    {
        string journal = Directory.CreateTempSubdirectory("mf-raw-rec-").FullName;
        string replayed = Directory.CreateTempSubdirectory("mf-raw-replay-").FullName;
        await RawJournalRig.RecordAsync(venue, journal, ticks: 40);

        RawRecording recording = RawRecording.Load(journal);
        Assert.Equal(venue, recording.Source);
        Assert.NotEmpty(recording.Connections);
        Assert.All(recording.Connections, c => Assert.StartsWith("ws://127.0.0.1:", c.Endpoint, StringComparison.Ordinal));
        Assert.Contains(recording.Connections, c => c.EndedBecause is not null);
        Assert.True(recording.Rest.Count > 0, "the instrument list (a REST answer) is in the raw log");

        // The emulators' credentials travel in stream URLs' queries and REST headers: none of it is kept.
        string raw = string.Concat(Directory.GetFiles(Path.Combine(journal, "raw")).Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain("emulator-token", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("emulator-key", raw, StringComparison.Ordinal);

        await RawJournalRig.ReplayAsync(journal, replayed);

        int allowed = ExtraTicksAllowed(venue, recording);
        List<string> live = RawJournalRig.TickLines(journal);
        List<string> again = RawJournalRig.TickLines(replayed);
        Assert.True(live.Count >= 40, $"{live.Count} ticks recorded");
        foreach (IGrouping<string, string> instrument in live.GroupBy(l => l.Split(" #")[0]))
        {
            // Frames that arrived as the recording stopped are in the raw log, but their ticks were not admitted
            // before the hub stopped: the replay may derive a few more at the end, never different ones.
            List<string> derived = [.. again.Where(l => l.StartsWith(instrument.Key + " #", StringComparison.Ordinal))];
            Assert.Equal(instrument.ToList(), derived.Take(instrument.Count()).ToList());
            int extra = derived.Count - instrument.Count();
            Assert.True(extra >= 0 && extra <= allowed, $"{instrument.Key}: {extra} extra ticks (at most {allowed}): " + string.Join(" | ", derived.Skip(instrument.Count())));
        }

        Assert.Equal(live.Select(l => l.Split(" #")[0]).Distinct().Order(), again.Select(l => l.Split(" #")[0]).Distinct().Order());
    }

    /// <summary>
    /// How many more ticks than were admitted live the replay may derive per instrument: the few frames (3) in flight
    /// as the recording stopped, one tick each. A Kraken trade update carries every trade its emulator's 10 ms step
    /// made for the pair — one mostly, several after the loop stalled on a busy machine — so one of those frames can
    /// bring as many ticks as the largest trade update of the recording (counted from the raw log, not guessed).
    /// </summary>
    private static int ExtraTicksAllowed(string venue, RawRecording recording)
    {
        if (venue != "kraken")
        {
            return 3;
        }

        int largest = 1;
        foreach (RecordedFrame frame in recording.Connections.SelectMany(c => c.Frames).Where(f => f.Inbound && f.IsText))
        {
            using var message = JsonDocument.Parse(frame.Bytes);
            JsonElement root = message.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("channel", out JsonElement channel) && channel.ValueEquals("trade")
                && root.TryGetProperty("type", out JsonElement type) && type.ValueEquals("update") && root.TryGetProperty("data", out JsonElement data))
            {
                largest = Math.Max(largest, data.GetArrayLength());
            }
        }

        return 2 + largest;
    }

    [Fact]
    public void A_journal_without_a_raw_log_is_a_clear_error()
    {
        string empty = Directory.CreateTempSubdirectory("mf-raw-none-").FullName;
        Directory.CreateDirectory(Path.Combine(empty, "events"));
        JournalException e = Assert.Throws<JournalException>(() => RawRecording.Load(empty));
        Assert.Contains("no raw log", e.Message, StringComparison.Ordinal);
    }
}
