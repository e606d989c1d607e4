using System.Globalization;

namespace MarketFeed.Cli.Output;

/// <summary>
/// One self-overwriting line on stderr for a long operation: <c>verify events [########------------]  40%  4/10 segments</c>.
/// Redrawn at most every <see cref="RedrawInterval"/> (and always at 100 %), so a fast loop does not spend its time
/// writing to the terminal; <see cref="Clear"/> wipes it before the result is printed on stdout.
/// </summary>
internal sealed class ProgressBar(TextWriter error, string label, TimeProvider time)
{
    private const int Width = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private long _lastDrawn = long.MinValue;
    private int _lastLength;

    /// <summary>Draws <paramref name="fraction"/> (clamped to 0–1) with a short detail after the percentage.</summary>
    public void Report(double fraction, string detail)
    {
        fraction = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        long now = time.GetTimestamp();
        if (fraction < 1 && _lastDrawn != long.MinValue && time.GetElapsedTime(_lastDrawn, now) < RedrawInterval)
        {
            return;
        }

        _lastDrawn = now;
        int filled = (int)Math.Round(fraction * Width);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,3:0}%  {detail}");
        error.Write("\r" + line.PadRight(_lastLength));
        _lastLength = line.Length;
    }

    /// <summary>Wipes the line (nothing is left behind on the terminal).</summary>
    public void Clear()
    {
        if (_lastLength > 0)
        {
            error.Write("\r" + new string(' ', _lastLength) + "\r");
            _lastLength = 0;
        }
    }
}
