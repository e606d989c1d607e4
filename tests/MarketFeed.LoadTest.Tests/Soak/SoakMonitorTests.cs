using MarketFeed.LoadTest.Soak;

namespace MarketFeed.LoadTest.Tests.Soak;

public class SoakMonitorTests
{
    private static readonly TimeSpan s_stall = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_client_without_ticks_outside_faults_is_a_stall_once_per_episode()
    {
        var monitor = new SoakMonitor(TimeSpan.FromSeconds(10), s_stall, 2);
        for (int t = 0; t <= 40; t++)
        {
            // Client 1 stops at 20 s and comes back at 35 s; client 0 never stops.
            TimeSpan? quiet = t is > 20 and < 35 ? S(20) : S(t);
            monitor.Observe(S(t), "connected", [], [S(t), quiet]);
        }

        string stall = Assert.Single(monitor.Stalls);
        Assert.Contains("client 1 had no tick for 6.0 s at 26s", stall);
        Assert.Equal(S(14), monitor.LongestGap);
    }

    [Fact]
    public void A_fault_excuses_silence_and_other_states_until_it_is_recovered_plus_the_stall_time()
    {
        var monitor = new SoakMonitor(TimeSpan.Zero, s_stall, 1);
        var fault = new FaultWindow(new FaultStep(S(10), "silent", S(20))) { Started = S(10), Ended = S(30) };
        for (int t = 0; t <= 60; t++)
        {
            // Silent from 10 s; the feed reconnects at 33 s and ticks come back at 34 s.
            string state = t is >= 10 and < 33 ? "reconnecting" : "connected";
            TimeSpan? last = t is >= 10 and < 34 ? S(10) : S(t);
            monitor.Observe(S(t), state, [fault], [last]);
        }

        Assert.Equal(S(34), fault.Recovered);
        Assert.Empty(monitor.Stalls);
        Assert.Empty(monitor.UnexpectedStates);
    }

    [Fact]
    public void Silence_after_recovery_and_its_grace_is_a_stall_and_a_state_outside_faults_is_reported()
    {
        var monitor = new SoakMonitor(TimeSpan.Zero, s_stall, 1);
        var fault = new FaultWindow(new FaultStep(S(10), "drop", TimeSpan.Zero)) { Started = S(10), Ended = S(10) };
        for (int t = 0; t <= 30; t++)
        {
            // Recovered at 11 s, then the ticks stop at 12 s and the feed drops to reconnecting at 25 s.
            monitor.Observe(S(t), t >= 25 ? "reconnecting" : "connected", [fault], [S(Math.Min(t, 12))]);
        }

        Assert.Equal(S(11), fault.Recovered);
        Assert.Contains("at 18s", Assert.Single(monitor.Stalls));
        Assert.Contains("feed 'reconnecting' at 25s", Assert.Single(monitor.UnexpectedStates));
    }

    [Fact]
    public void Overlapping_faults_are_one_outage_and_a_late_recovery_is_named()
    {
        var refuse = new FaultWindow(new FaultStep(S(60), "refuse,drop", S(45))) { Started = S(60), Ended = S(105), Recovered = S(130) };
        var limit = new FaultWindow(new FaultStep(S(90), "ratelimit=20", S(10))) { Started = S(90), Ended = S(100), Recovered = S(130) };
        var auth = new FaultWindow(new FaultStep(S(200), "auth,drop", S(20))) { Started = S(200), Ended = S(220) };
        var silent = new FaultWindow(new FaultStep(S(300), "silent", S(20))) { Started = S(300), Ended = S(320), Recovered = S(380) };

        // ratelimit ends 30 s before its recovery, but its outage (with refuse) ended 25 s before: within 30 s.
        string[] late = [.. SoakVerdict.LateRecoveries([refuse, limit, auth, silent], S(30), S(600))];
        Assert.Equal(2, late.Length);
        Assert.StartsWith("no recovery: after 'auth,drop' at 3m20s", late[0]);
        Assert.StartsWith("slow recovery: after 'silent' at 5m", late[1]);
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
}
