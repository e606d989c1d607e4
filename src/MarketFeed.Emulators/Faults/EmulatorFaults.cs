using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using MarketFeed.Candles;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Faults;

/// <summary>
/// The faults every venue emulator can inject, switchable at start (<c>--faults</c>) and at run time
/// (<c>POST /_emulator/faults?spec=…</c>). One mechanism for all emulators: each applies them in its own wire format
/// (what "reject auth" or "refuse the stream" looks like is the venue's), while the venue-neutral ones — absurd
/// prices, time jumps — distort the simulated tick before it is encoded, and fuzzing damages whole frames through the
/// shared <see cref="FrameFuzzer"/>. Safe to change from any thread.
/// </summary>
public sealed class EmulatorFaults
{
    private volatile bool _rejectAuth;
    private volatile bool _silent;
    private volatile bool _malformed;
    private volatile bool _refuseStream;
    private volatile bool _restDown;
    private volatile bool _oddText;
    private volatile bool _absurd;
    private int _rateLimitRemaining;
    private long _timeShiftSeconds;
    private long _delayMilliseconds;
    private long _oversizedBytes;
    private int _reviseEvery;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<InstrumentId, int> _absurdSteps = new();
    private FuzzSettings _fuzz = new();

    /// <summary>Reject every stream upgrade and REST call as the venue does for a bad or expired token.</summary>
    public bool RejectAuth { get => _rejectAuth; set => _rejectAuth = value; }

    /// <summary>Keep sockets open but send nothing at all, not even heartbeats (a mute venue).</summary>
    public bool Silent { get => _silent; set => _silent = value; }

    /// <summary>Mix malformed frames (truncated, unknown packet length, unparseable text) into the stream.</summary>
    public bool Malformed { get => _malformed; set => _malformed = value; }

    /// <summary>Refuse stream connections (HTTP 503) while REST keeps working: the stream is down, polling is possible.</summary>
    public bool RefuseStream { get => _refuseStream; set => _refuseStream = value; }

    /// <summary>Every REST call answers 503: combined with <see cref="RefuseStream"/> or <see cref="Silent"/>, nothing works.</summary>
    public bool RestDown { get => _restDown; set => _restDown = value; }

    /// <summary>Mix valid JSON that is not a venue message (<c>[]</c>, <c>42</c>, a wrong-typed type, an error without data, huge error text) into the stream.</summary>
    public bool OddText { get => _oddText; set => _oddText = value; }

    /// <summary>
    /// Distort every other tick of each instrument into an absurd one, in turn: a price of 10,000,000, high below low,
    /// a crossed book, a trade larger than the day's volume.
    /// </summary>
    public bool Absurd { get => _absurd; set => _absurd = value; }

    /// <summary>Exchange timestamps are shifted by this many seconds (positive: the future). 0 = off.</summary>
    public long TimeShiftSeconds
    {
        get => Interlocked.Read(ref _timeShiftSeconds);
        set => Interlocked.Exchange(ref _timeShiftSeconds, value);
    }

    /// <summary>
    /// A slow venue: every tick's exchange time is this many milliseconds before the moment it is sent, so it reaches
    /// the gateway that long after the exchange stamped it (what feed latency measures). 0 = off.
    /// </summary>
    public long DelayMilliseconds
    {
        get => Interlocked.Read(ref _delayMilliseconds);
        set => Interlocked.Exchange(ref _delayMilliseconds, value);
    }

    /// <summary>The next N REST calls answer 429 Too Many Requests.</summary>
    public int RateLimitNext
    {
        get => Volatile.Read(ref _rateLimitRemaining);
        set => Volatile.Write(ref _rateLimitRemaining, value);
    }

    /// <summary>One frame of this many bytes is sent on every open socket, once. 0 = none pending.</summary>
    public long OversizedFrameBytes
    {
        get => Interlocked.Read(ref _oversizedBytes);
        set => Interlocked.Exchange(ref _oversizedBytes, value);
    }

    /// <summary>
    /// The venue's official candles differ from what its stream showed: in every REST history answer, each bar whose
    /// start minute (since the Unix epoch) is a multiple of N has its high one tick higher and one more unit of
    /// volume (a late trade the stream never sent). 0 = off.
    /// </summary>
    public int ReviseEvery
    {
        get => Volatile.Read(ref _reviseEvery);
        set => Volatile.Write(ref _reviseEvery, value);
    }

    /// <summary>Applies <see cref="ReviseEvery"/> to a history answer (bars of an instrument with tick size <paramref name="tickSize"/>).</summary>
    public IReadOnlyList<Candle> Revise(IReadOnlyList<Candle> bars, Price tickSize)
    {
        int every = ReviseEvery;
        if (every <= 0)
        {
            return bars;
        }

        return [.. bars.Select(b => (b.Start - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMinute % every == 0
            ? b with { High = b.High + tickSize, Volume = (b.Volume.HasValue ? b.Volume : Quantity.Zero) + Quantity.FromDecimal(1) }
            : b)];
    }

    /// <summary>Fuzzed frames mixed into the stream (see <see cref="FuzzSettings"/>); null when off.</summary>
    public FuzzSettings? Fuzz => Volatile.Read(ref _fuzz) is { On: true } fuzz ? fuzz : null;

    /// <summary>Text frames sent while <see cref="OddText"/> is on: each is valid UTF-8 that no venue message looks like.</summary>
    public static IReadOnlyList<string> OddTextFrames { get; } =
    [
        "[]",
        "42",
        "\"text\"",
        "null",
        "{\"type\":12}",
        "{\"type\":\"error\"}",
        "{\"type\":null,\"data\":[1,2]}",
        "{\"type\":\"surprise\",\"data\":{}}",
        "{\"type\":\"error\",\"data\":\"" + new StringBuilder().Insert(0, "bad\\u0000\\u001b[31m\\r\\n", 8_000).ToString() + "\"}",
    ];

    /// <summary>Takes one 429 from <see cref="RateLimitNext"/>; true when this call must be rate limited.</summary>
    public bool TakeRateLimit()
    {
        int remaining;
        do
        {
            remaining = Volatile.Read(ref _rateLimitRemaining);
            if (remaining <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _rateLimitRemaining, remaining - 1, remaining) != remaining);

        return true;
    }

    /// <summary>Takes the pending oversized frame's size (0 when none), so it is sent once.</summary>
    public long TakeOversizedFrame() => Interlocked.Exchange(ref _oversizedBytes, 0);

    /// <summary>Applies the venue-neutral distortions (time shift, absurd values) to a simulated tick before it is encoded.</summary>
    public void Distort(ref Tick tick)
    {
        long shift = TimeShiftSeconds;
        if (shift != 0 && tick.HasExchangeTime)
        {
            tick.ExchangeTime = tick.ExchangeTime.AddSeconds(shift);
        }

        long delay = DelayMilliseconds;
        if (delay > 0 && tick.HasExchangeTime)
        {
            tick.ExchangeTime = tick.ExchangeTime.AddMilliseconds(-delay);
        }

        if (!Absurd || !tick.Ltp.HasValue)
        {
            return;
        }

        // Per instrument, every other tick stays true, so an absurd price never comes twice in a row: a venue glitch,
        // not a new level (three consistent prices in a row are a real move the hub must accept).
        int step = _absurdSteps.AddOrUpdate(tick.Instrument, 1, (_, n) => n + 1);
        if (step % 2 == 1)
        {
            return;
        }

        switch (step / 2 % 4)
        {
            case 0:
                tick.Ltp = Price.FromDecimal(10_000_000m);
                break;
            case 1 when tick.High.HasValue && tick.Low.HasValue:
                (tick.High, tick.Low) = (tick.Low, tick.High);
                break;
            case 2 when tick.Bid.HasValue && tick.Ask.HasValue:
                (tick.Bid, tick.Ask) = (tick.Ask, tick.Bid);
                break;
            case 3 when tick.Volume.HasValue:
                tick.Ltq = tick.Volume + Quantity.FromDecimal(1_000_000m);
                break;
        }
    }

    /// <summary>Faults on from the start (<c>--faults</c>): parsed before anything listens, so a bad spec leaves no server behind.</summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number.</exception>
    public static EmulatorFaults FromSpec(string? spec)
    {
        var faults = new EmulatorFaults();
        if (!string.IsNullOrWhiteSpace(spec))
        {
            faults.Apply(spec);
        }

        return faults;
    }

    /// <summary>
    /// Parses <c>auth,silent,malformed,refuse,restdown,oddtext,absurd,timejump=SECONDS,delay=MS,oversized=BYTES,ratelimit=N,revise=N</c>
    /// and <c>fuzz=SEED,fuzzrate=N,fuzzcount=N,fuzzsize=BYTES,fuzzkinds=K+K,fuzztarget=KEY</c> (one <c>fuzztarget</c>
    /// per target); a leading <c>-</c> turns one off. Nothing takes effect unless the whole spec is valid.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown fault or a bad number; the message lists the valid ones.</exception>
    public void Apply(string spec)
    {
        FuzzSettings fuzz = Volatile.Read(ref _fuzz);
        var changes = new List<Action>();
        foreach (string raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !raw.StartsWith('-');
            string[] parts = raw.TrimStart('-').Split('=', 2);
            long Number(long fallback) => !on ? 0
                : parts.Length < 2 ? fallback
                : long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n
                : throw new ArgumentException($"fault '{parts[0]}' needs a whole number after '=', not '{parts[1]}'");
            string Text() => parts.Length == 2 && parts[1].Length > 0 ? parts[1] : throw new ArgumentException($"fault '{parts[0]}' needs a value after '='");
            switch (parts[0].ToLowerInvariant())
            {
                case "auth":
                    changes.Add(() => RejectAuth = on);
                    break;
                case "silent":
                case "mute":
                    changes.Add(() => Silent = on);
                    break;
                case "malformed":
                    changes.Add(() => Malformed = on);
                    break;
                case "refuse":
                    changes.Add(() => RefuseStream = on);
                    break;
                case "restdown":
                    changes.Add(() => RestDown = on);
                    break;
                case "oddtext":
                    changes.Add(() => OddText = on);
                    break;
                case "absurd":
                    changes.Add(() => Absurd = on);
                    break;
                case "timejump":
                    long shift = Number(600);
                    changes.Add(() => TimeShiftSeconds = shift);
                    break;
                case "delay":
                    long delay = Math.Clamp(Number(500), 0, 3_600_000);
                    changes.Add(() => DelayMilliseconds = delay);
                    break;
                case "oversized":
                    long oversized = Math.Max(0, Number(64L * 1024 * 1024));
                    changes.Add(() => OversizedFrameBytes = oversized);
                    break;
                case "revise":
                    int revise = (int)Math.Clamp(Number(1), 0, int.MaxValue);
                    changes.Add(() => ReviseEvery = revise);
                    break;
                case "ratelimit":
                    int limited = (int)Math.Clamp(Number(5), 0, int.MaxValue);
                    changes.Add(() => RateLimitNext = limited);
                    break;
                case "fuzz":
                    fuzz = on ? fuzz with { On = true, Seed = Number(1), Run = fuzz.Run + 1 } : fuzz with { On = false };
                    break;
                case "fuzzrate":
                    fuzz = fuzz with { FramesPerStep = (int)Math.Clamp(on ? Number(1) : 1, 1, 1_000_000) };
                    break;
                case "fuzzcount":
                    fuzz = fuzz with { Limit = Math.Max(0, Number(0)) };
                    break;
                case "fuzzsize":
                    fuzz = fuzz with { OversizedBytes = Math.Clamp(on ? Number(new FuzzSettings().OversizedBytes) : new FuzzSettings().OversizedBytes, 1, Array.MaxLength - 1024) };
                    break;
                case "fuzzkinds":
                    fuzz = fuzz with { Kinds = on ? FuzzSettings.ParseKinds(Text()) : FuzzSettings.DefaultKinds };
                    break;
                case "fuzztarget":
                    fuzz = fuzz with { Targets = on ? fuzz.Targets.Append(Text()).ToFrozenSet(StringComparer.Ordinal) : FrozenSet<string>.Empty };
                    break;
                default:
                    throw new ArgumentException(
                        $"unknown fault '{parts[0]}': use auth, silent, malformed, refuse, restdown, oddtext, absurd, timejump=SECONDS, delay=MS, oversized=BYTES, ratelimit=N, revise=N, "
                        + "fuzz=SEED, fuzzrate=N, fuzzcount=N, fuzzsize=BYTES, fuzzkinds=K+K, fuzztarget=KEY (prefix - to turn off)");
            }
        }

        // Applied only once the whole spec has been read: a bad entry changes nothing.
        foreach (Action change in changes)
        {
            change();
        }

        Volatile.Write(ref _fuzz, fuzz);
    }

    public override string ToString() =>
        $"auth={RejectAuth}, silent={Silent}, malformed={Malformed}, refuse={RefuseStream}, restdown={RestDown}, oddtext={OddText}, "
        + $"absurd={Absurd}, timejump={TimeShiftSeconds}, delay={DelayMilliseconds}, oversized={OversizedFrameBytes}, ratelimit={RateLimitNext}, revise={ReviseEvery}, fuzz={Volatile.Read(ref _fuzz)}";
}
