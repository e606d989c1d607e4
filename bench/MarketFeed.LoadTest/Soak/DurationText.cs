using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketFeed.LoadTest.Soak;

/// <summary>Durations as people write them: <c>1h</c>, <c>10m</c>, <c>90s</c>, <c>1h30m</c>, <c>500ms</c>; a bare number is seconds.</summary>
internal static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds >= 0;
        }

        Match match = Parts().Match(text.Trim());
        if (!match.Success || match.Length == 0)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            Match one = Part().Match(part.Value);
            double value = double.Parse(one.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += one.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }

        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan duration) ? duration : throw new FormatException($"'{text}' is not a duration (e.g. 1h, 10m, 90s, 1h30m, 500ms)");

    /// <summary>The shortest form that reads back to the same value: <c>1h</c>, <c>6m30s</c>, <c>45s</c>, <c>1.5s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (duration.TotalHours >= 1)
        {
            text.Append((int)duration.TotalHours).Append('h');
        }

        if (duration.Minutes > 0)
        {
            text.Append(duration.Minutes).Append('m');
        }

        double seconds = duration.Seconds + (duration.Milliseconds / 1000.0);
        if (seconds > 0)
        {
            text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|h|m|s))+$")]
    private static partial Regex Parts();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|h|m|s)$")]
    private static partial Regex Part();
}
