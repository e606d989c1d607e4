namespace MarketFeed.Instruments;

/// <summary>A symbol that no loaded instrument master knows; carries the closest matches for the error message.</summary>
public sealed class UnknownSymbolException(string symbol, IReadOnlyList<Instrument> closeMatches)
    : Exception(BuildMessage(symbol, closeMatches))
{
    public string Symbol { get; } = symbol;

    public IReadOnlyList<Instrument> CloseMatches { get; } = closeMatches;

    private static string BuildMessage(string symbol, IReadOnlyList<Instrument> closeMatches) =>
        closeMatches.Count == 0
            ? $"unknown symbol '{symbol}': no instrument matches; try 'marketfeed instruments search TEXT'"
            : $"unknown symbol '{symbol}'; did you mean {string.Join(", ", closeMatches.Select(i => i.Symbol))}?";
}
