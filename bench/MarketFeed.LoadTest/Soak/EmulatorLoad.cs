namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// How the Kite emulator is sized for a total rate. Its generator steps every half tick interval (at least 5 ms) and
/// sends an instrument at most once per step, one interval after its last tick measured from the step's own (late)
/// wake-up: about half the ticks wait one step more, so it delivers ≈ 0.77 of its nominal per-instrument rate (measured here at 10,000 and 50,000 ticks/s), and at
/// most ≈ 130 ticks/s per instrument. The universe (NIFTY strikes each side) therefore grows with the rate, keeping
/// the nominal rate near 100/s; the rate actually sent is measured and reported, never assumed.
/// </summary>
internal sealed record EmulatorLoad(int StrikesEachSide, int Instruments, double TicksPerInstrumentPerSecond)
{
    /// <summary>Indices, equities, futures and the at-the-money CE and PE of two expiries; each strike away adds 4 options a side.</summary>
    private const int Fixed = 18;
    private const int PerStrike = 8;
    private const double Delivered = 0.77;
    private const double NominalPerInstrument = 100;

    public static EmulatorLoad For(double rate)
    {
        int wanted = (int)Math.Ceiling(rate / (NominalPerInstrument * Delivered));
        int strikes = Math.Clamp((int)Math.Ceiling((wanted - Fixed) / (double)PerStrike), 0, 200);
        int instruments = Fixed + (PerStrike * strikes);
        return new EmulatorLoad(strikes, instruments, rate / (instruments * Delivered));
    }
}
