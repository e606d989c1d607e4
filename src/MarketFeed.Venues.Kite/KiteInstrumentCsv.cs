using System.Globalization;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Kite's instrument dump: <c>instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,
/// tick_size,lot_size,instrument_type,segment,exchange</c>. Rows become registry instruments keyed by token; a row
/// that cannot be read is counted and skipped, never half-used.
/// </summary>
public static class KiteInstrumentCsv
{
    public const string Header = "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange";

    /// <summary>Well-known index names for the underlying of derivatives whose <c>name</c> is an index.</summary>
    private static readonly Dictionary<string, string> s_indexUnderlyings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NIFTY"] = "NSE:NIFTY 50",
        ["BANKNIFTY"] = "NSE:NIFTY BANK",
        ["FINNIFTY"] = "NSE:NIFTY FIN SERVICE",
        ["MIDCPNIFTY"] = "NSE:NIFTY MID SELECT",
        ["SENSEX"] = "BSE:SENSEX",
        ["BANKEX"] = "BSE:BANKEX",
    };

    public static (List<(uint Token, Instrument Instrument)> Rows, int Rejected) Parse(TextReader reader, string feed)
    {
        var rows = new List<(uint, Instrument)>();
        int rejected = 0;
        string? header = reader.ReadLine();
        if (header is null || !header.Trim().Equals(Header, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"not a Kite instrument dump: the first line must be '{Header}'");
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseRow(line, feed, out uint token, out Instrument? instrument))
            {
                rows.Add((token, instrument));
            }
            else
            {
                rejected++;
            }
        }

        return (rows, rejected);
    }

    public static bool TryParseRow(string line, string feed, out uint token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument)
    {
        instrument = null;
        token = 0;
        List<string> f = CsvFields.Split(line, 12);
        if (f.Count != 12 || !uint.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out token) || token == 0)
        {
            return false;
        }

        string exchange = f[11].Trim();
        string segment = f[10].Trim();
        string type = f[9].Trim();
        InstrumentKind? kind = type switch
        {
            "EQ" when segment == "INDICES" => InstrumentKind.Index,
            "EQ" => InstrumentKind.Equity,
            "FUT" => InstrumentKind.Future,
            "CE" => InstrumentKind.Call,
            "PE" => InstrumentKind.Put,
            _ => null,
        };
        if (kind is null || exchange.Length == 0 || f[2].Length == 0
            || !decimal.TryParse(f[7], NumberStyles.Float, CultureInfo.InvariantCulture, out decimal tickSize)
            || !long.TryParse(f[8], NumberStyles.Integer, CultureInfo.InvariantCulture, out long lotSize))
        {
            return false;
        }

        DateOnly? expiry = null;
        if (f[5].Length > 0)
        {
            if (!DateOnly.TryParseExact(f[5], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed))
            {
                return false;
            }

            expiry = parsed;
        }

        Price strike = Price.None;
        if (kind is InstrumentKind.Call or InstrumentKind.Put)
        {
            if (!decimal.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out decimal strikeValue))
            {
                return false;
            }

            strike = Price.FromDecimal(strikeValue);
        }

        string name = f[3].Trim();
        instrument = new Instrument
        {
            Exchange = exchange,
            TradingSymbol = f[2].Trim(),
            Name = name,
            Kind = kind.Value,
            Underlying = kind is InstrumentKind.Future or InstrumentKind.Call or InstrumentKind.Put && name.Length > 0
                ? s_indexUnderlyings.GetValueOrDefault(name, UnderlyingExchange(exchange) + ":" + name)
                : null,
            Expiry = expiry,
            Strike = strike,
            TickSize = Price.FromDecimal(tickSize),
            LotSize = (int)Math.Clamp(lotSize, 0, int.MaxValue),
            Calendar = CalendarOf(exchange),
            Feed = feed,
            NativeKey = token.ToString(CultureInfo.InvariantCulture),
        };
        return true;
    }

    /// <summary>One dump row for an instrument (the emulator serves these).</summary>
    public static string Row(uint token, Instrument i)
    {
        string type = i.Kind switch
        {
            InstrumentKind.Future => "FUT",
            InstrumentKind.Call => "CE",
            InstrumentKind.Put => "PE",
            _ => "EQ",
        };
        string segment = i.Kind switch
        {
            InstrumentKind.Index => "INDICES",
            InstrumentKind.Future => i.Exchange + "-FUT",
            InstrumentKind.Call or InstrumentKind.Put => i.Exchange + "-OPT",
            _ => i.Exchange,
        };
        string name = i.Name.Contains(',', StringComparison.Ordinal) ? $"\"{i.Name}\"" : i.Name;
        return string.Join(',',
            token.ToString(CultureInfo.InvariantCulture), (token >> 8).ToString(CultureInfo.InvariantCulture), i.TradingSymbol, name, "0",
            i.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", i.Strike.HasValue ? i.Strike.ToString() : "0",
            i.TickSize.ToString(), i.LotSize.ToString(CultureInfo.InvariantCulture), type, segment, i.Exchange);
    }

    public static SessionCalendar CalendarOf(string exchange) => exchange switch
    {
        "CDS" or "BCD" => SessionCalendars.IndianCurrency,
        "MCX" or "NCO" => SessionCalendars.IndianCommodity,
        _ => SessionCalendar.IndianEquity,
    };

    private static string UnderlyingExchange(string exchange) => exchange switch
    {
        "BFO" => "BSE",
        "MCX" => "MCX",
        "CDS" or "BCD" => exchange,
        _ => "NSE",
    };
}
