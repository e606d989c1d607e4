using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// Finnhub's messages as it writes them: keys in alphabetical order (<c>c,p,s,t,v</c>; <c>data</c> before <c>type</c>;
/// <c>msg</c> before <c>type</c>), prices and volumes as bare JSON numbers in their shortest form (<c>300</c>,
/// <c>0.011467</c>), times in Unix milliseconds.
/// </summary>
internal static class FinnhubJson
{
    public const string Ping = "{\"type\":\"ping\"}";
    public const string TooManySymbols = "{\"msg\":\"Subscribing to too many symbols\",\"type\":\"error\"}";

    /// <summary>A raw fixed-point value as Finnhub's JSON number: no trailing zeros, no point for whole values.</summary>
    public static string Number(long raw) => FixedPoint.ToDecimal(raw).ToString("0.########", CultureInfo.InvariantCulture);

    public static string Trades(IEnumerable<FinnhubTrade> trades)
    {
        var json = new StringBuilder("{\"data\":[");
        bool first = true;
        foreach (FinnhubTrade trade in trades)
        {
            json.Append(first ? "{" : ",{");
            first = false;
            if (trade.Conditions is { } conditions)
            {
                json.Append("\"c\":[").AppendJoin(',', conditions.Select(c => "\"" + c + "\"")).Append("],");
            }

            json.Append("\"p\":").Append(Number(trade.Price))
                .Append(",\"s\":").Append(JsonSerializer.Serialize(trade.Symbol))
                .Append(",\"t\":").Append(trade.TimeMs.ToString(CultureInfo.InvariantCulture))
                .Append(",\"v\":").Append(Number(trade.Volume)).Append('}');
        }

        return json.Append("],\"type\":\"trade\"}").ToString();
    }

    /// <summary><c>/stock/symbol</c> rows, or the three-field rows of <c>/crypto/symbol</c> and <c>/forex/symbol</c>.</summary>
    public static string Symbols(IEnumerable<FinnhubSymbolSpec> specs) =>
        "[" + string.Join(',', specs.Select(s => s.Kind == FinnhubSymbolKind.Stock
            ? $"{{\"currency\":\"USD\",\"description\":{Quote(s.Description)},\"displaySymbol\":{Quote(s.DisplaySymbol)},\"figi\":\"\",\"isin\":null,\"mic\":\"XNAS\",\"shareClassFIGI\":\"\",\"symbol\":{Quote(s.Symbol)},\"symbol2\":\"\",\"type\":\"Common Stock\"}}"
            : $"{{\"description\":{Quote(s.Description)},\"displaySymbol\":{Quote(s.DisplaySymbol)},\"symbol\":{Quote(s.Symbol)}}}")) + "]";

    /// <summary><c>/quote</c>; a symbol Finnhub does not know gets zeros and nulls.</summary>
    public static string QuoteOf((long Last, long Open, long High, long Low, long PreviousClose, long TimeSeconds)? quote)
    {
        if (quote is not { } q)
        {
            return "{\"c\":0,\"d\":null,\"dp\":null,\"h\":0,\"l\":0,\"o\":0,\"pc\":0,\"t\":0}";
        }

        decimal change = FixedPoint.ToDecimal(q.Last - q.PreviousClose);
        decimal percent = q.PreviousClose == 0 ? 0 : Math.Round(change * 100 / FixedPoint.ToDecimal(q.PreviousClose), 4);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"c\":{Number(q.Last)},\"d\":{change.ToString("0.########", CultureInfo.InvariantCulture)},\"dp\":{percent.ToString("0.####", CultureInfo.InvariantCulture)},\"h\":{Number(q.High)},\"l\":{Number(q.Low)},\"o\":{Number(q.Open)},\"pc\":{Number(q.PreviousClose)},\"t\":{q.TimeSeconds}}}");
    }

    /// <summary>A candle answer: parallel arrays and <c>s</c>, or <c>{"s":"no_data"}</c>.</summary>
    public static string Candles(IReadOnlyList<(long Start, long Open, long High, long Low, long Close, long Volume)> bars)
    {
        if (bars.Count == 0)
        {
            return "{\"s\":\"no_data\"}";
        }

        string Column(Func<(long Start, long Open, long High, long Low, long Close, long Volume), string> value) => "[" + string.Join(',', bars.Select(value)) + "]";
        return $"{{\"c\":{Column(b => Number(b.Close))},\"h\":{Column(b => Number(b.High))},\"l\":{Column(b => Number(b.Low))},\"o\":{Column(b => Number(b.Open))},\"s\":\"ok\",\"t\":{Column(b => b.Start.ToString(CultureInfo.InvariantCulture))},\"v\":{Column(b => Number(b.Volume))}}}";
    }

    public static string Error(string message) => "{\"error\":" + Quote(message) + "}";

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
