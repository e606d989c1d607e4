using System.Globalization;

namespace MarketFeed.Candles;

/// <summary>
/// A candle length from 1 s to 1 d. Text forms: <c>1s</c>…<c>59s</c>, <c>1m</c>…<c>1440m</c> (aliases <c>1min</c>,
/// <c>3min</c>, <c>60min</c>), <c>1h</c>…<c>24h</c>, <c>1d</c>. Bars are anchored at the session open and clipped at
/// its close, so <c>1d</c> is exactly one session.
/// </summary>
public readonly record struct CandleInterval : IComparable<CandleInterval>
{
    private CandleInterval(TimeSpan length) => Length = length;

    public TimeSpan Length { get; }

    public static CandleInterval OneMinute { get; } = new(TimeSpan.FromMinutes(1));

    public static CandleInterval FiveMinutes { get; } = new(TimeSpan.FromMinutes(5));

    public static CandleInterval FifteenMinutes { get; } = new(TimeSpan.FromMinutes(15));

    public static CandleInterval OneDay { get; } = new(TimeSpan.FromDays(1));

    public static CandleInterval FromLength(TimeSpan length)
    {
        if (length < TimeSpan.FromSeconds(1) || length > TimeSpan.FromDays(1) || length.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An interval is a whole number of seconds from 1s to 1d.");
        }

        return new CandleInterval(length);
    }

    public static CandleInterval Parse(string text) =>
        TryParse(text, out CandleInterval interval, out string? error) ? interval : throw new FormatException(error);

    public static bool TryParse(string? text, out CandleInterval interval, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        interval = default;
        string t = (text ?? "").Trim().ToLowerInvariant();
        int digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits]))
        {
            digits++;
        }

        string unit = t[digits..];
        if (digits == 0 || !int.TryParse(t.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
        {
            error = $"interval '{text}' is not valid: use a number and a unit, like 1s, 5m, 1h or 1d";
            return false;
        }

        (TimeSpan length, bool ok) = unit switch
        {
            "s" when n <= 59 => (TimeSpan.FromSeconds(n), true),
            "m" or "min" when n <= 1440 => (TimeSpan.FromMinutes(n), true),
            "h" when n <= 24 => (TimeSpan.FromHours(n), true),
            "d" when n == 1 => (TimeSpan.FromDays(1), true),
            _ => (TimeSpan.Zero, false),
        };
        if (!ok)
        {
            error = $"interval '{text}' is not valid: allowed are 1s-59s, 1m-1440m, 1h-24h and 1d";
            return false;
        }

        interval = new CandleInterval(length);
        error = null;
        return true;
    }

    /// <summary>Canonical text: seconds below a minute, hours for whole hours, 1d for a day, minutes otherwise.</summary>
    public string Label =>
        Length.TotalDays == 1 ? "1d"
        : Length.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(int)Length.TotalHours}h"
        : Length.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(int)Length.TotalMinutes}m"
        : $"{(int)Length.TotalSeconds}s";

    public int CompareTo(CandleInterval other) => Length.CompareTo(other.Length);

    public override string ToString() => Label;
}
