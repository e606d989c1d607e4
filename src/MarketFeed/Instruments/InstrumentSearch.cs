using System.Globalization;
using MarketFeed.Model;

namespace MarketFeed.Instruments;

/// <summary>
/// Free-text instrument search. Every word of the query must match something about the instrument (exchange,
/// trading symbol, name, underlying, strike, CE/PE/FUT kind); matches are ranked by how exact they are, then by
/// nearest expiry, then by the shortest symbol, so "NIFTY 24000 CE" lists the nearest-expiry 24000 call first.
/// </summary>
public static class InstrumentSearch
{
    public static IReadOnlyList<Instrument> Search(IEnumerable<Instrument> instruments, string text, int limit, string? feed, DateTime asOfUtc)
    {
        string[] words = Tokenize(text);
        if (words.Length == 0 || limit <= 0)
        {
            return [];
        }

        string compact = string.Concat(words);
        DateOnly today = DateOnly.FromDateTime(asOfUtc);
        var scored = new List<(Instrument Instrument, int Score)>();
        foreach (Instrument instrument in instruments)
        {
            if (feed is not null && !string.Equals(instrument.Feed, feed, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (instrument.Expiry is { } expiry && expiry < today)
            {
                continue;
            }

            int score = Score(instrument, words, compact, text.Trim());
            if (score > 0)
            {
                scored.Add((instrument, score));
            }
        }

        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Instrument.Expiry ?? DateOnly.MinValue)
            .ThenBy(s => s.Instrument.Symbol.Length)
            .ThenBy(s => s.Instrument.Symbol, StringComparer.Ordinal)
            .Take(limit)
            .Select(s => s.Instrument)
            .ToList();
    }

    /// <summary>Close matches for a symbol that did not resolve: a search on its words, else small spelling distance.</summary>
    public static IReadOnlyList<Instrument> Suggest(IReadOnlyList<Instrument> instruments, string symbol, int limit)
    {
        string trimmed = symbol.Trim();
        IReadOnlyList<Instrument> found = Search(instruments, trimmed, limit, null, DateTime.MinValue);
        if (found.Count > 0)
        {
            return found;
        }

        string wanted = trimmed.ToUpperInvariant();
        string wantedTrading = wanted.Contains(':', StringComparison.Ordinal) ? wanted[(wanted.IndexOf(':') + 1)..] : wanted;
        return instruments
            .Select(i => (Instrument: i, Distance: Math.Min(
                EditDistance(wanted, i.Symbol.ToUpperInvariant()),
                EditDistance(wantedTrading, i.TradingSymbol.ToUpperInvariant()))))
            .Where(x => x.Distance <= Math.Max(2, wantedTrading.Length / 4))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Instrument.Symbol, StringComparer.Ordinal)
            .Take(limit)
            .Select(x => x.Instrument)
            .ToList();
    }

    private static string[] Tokenize(string text) =>
        text.ToUpperInvariant().Split([' ', ':', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static int Score(Instrument instrument, string[] words, string compact, string rawText)
    {
        string symbol = instrument.Symbol.ToUpperInvariant();
        string trading = instrument.TradingSymbol.ToUpperInvariant();
        if (string.Equals(symbol, rawText, StringComparison.OrdinalIgnoreCase))
        {
            return 10_000;
        }

        int score = 0;
        if (trading == compact)
        {
            score += 2_000;
        }
        else if (trading.StartsWith(compact, StringComparison.Ordinal))
        {
            score += 300;
        }

        string name = instrument.Name.ToUpperInvariant();
        string underlying = (instrument.Underlying ?? "").ToUpperInvariant();
        foreach (string word in words)
        {
            int best = ScoreWord(instrument, word, trading, name, underlying);
            if (best == 0)
            {
                return 0;
            }

            score += best;
        }

        return score;
    }

    private static int ScoreWord(Instrument instrument, string word, string trading, string name, string underlying)
    {
        int best = 0;
        if (word == instrument.Exchange.ToUpperInvariant())
        {
            best = Math.Max(best, 10);
        }

        if (word == trading)
        {
            best = Math.Max(best, 200);
        }

        if (word == name || NameWords(name).Contains(word))
        {
            best = Math.Max(best, 100);
        }

        if (trading.StartsWith(word, StringComparison.Ordinal))
        {
            best = Math.Max(best, 60);
        }
        else if (trading.Contains(word, StringComparison.Ordinal))
        {
            best = Math.Max(best, 20);
        }

        if (underlying.Length > 0 && underlying.Contains(word, StringComparison.Ordinal))
        {
            best = Math.Max(best, 30);
        }

        if (instrument.Strike.HasValue && decimal.TryParse(word, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal strike)
            && instrument.Strike.ToDecimal() == strike)
        {
            best = Math.Max(best, 80);
        }

        InstrumentKind? kind = word switch
        {
            "CE" or "CALL" => InstrumentKind.Call,
            "PE" or "PUT" => InstrumentKind.Put,
            "FUT" or "FUTURE" or "FUTURES" => InstrumentKind.Future,
            "INDEX" => InstrumentKind.Index,
            _ => null,
        };
        if (kind == instrument.Kind)
        {
            best = Math.Max(best, 50);
        }

        return best;
    }

    private static string[] NameWords(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
