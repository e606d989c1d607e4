using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's compact scrip master: columns found by header name, every field read as text. A row becomes a registry
/// instrument with a canonical symbol (<c>NSE:RELIANCE</c>, <c>NFO:NIFTY25NOV24000CE</c>, <c>NSE:NIFTY 50</c>) plus Dhan's
/// names for it; a row that cannot be read (unknown segment or instrument, bad number or date) is counted and skipped.
/// </summary>
internal static class DhanScripMasterCsv
{
    public const string Header = "SEM_EXM_EXCH_ID,SEM_SEGMENT,SEM_SMST_SECURITY_ID,SEM_INSTRUMENT_NAME,SEM_EXPIRY_CODE,SEM_TRADING_SYMBOL,SEM_LOT_UNITS,SEM_CUSTOM_SYMBOL,SEM_EXPIRY_DATE,SEM_STRIKE_PRICE,SEM_OPTION_TYPE,SEM_TICK_SIZE,SEM_EXPIRY_FLAG,SEM_EXCH_INSTRUMENT_TYPE,SEM_SERIES,SM_SYMBOL_NAME";

    private static readonly string[] s_required =
        ["SEM_EXM_EXCH_ID", "SEM_SEGMENT", "SEM_SMST_SECURITY_ID", "SEM_INSTRUMENT_NAME", "SEM_TRADING_SYMBOL", "SEM_LOT_UNITS", "SEM_CUSTOM_SYMBOL", "SEM_EXPIRY_DATE", "SEM_STRIKE_PRICE", "SEM_OPTION_TYPE", "SEM_TICK_SIZE"];

    /// <summary>Index derivatives' underlyings under their canonical index symbols.</summary>
    private static readonly Dictionary<string, string> s_indexUnderlyings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NIFTY"] = "NSE:NIFTY 50",
        ["BANKNIFTY"] = "NSE:NIFTY BANK",
        ["FINNIFTY"] = "NSE:NIFTY FIN SERVICE",
        ["MIDCPNIFTY"] = "NSE:NIFTY MID SELECT",
        ["SENSEX"] = "BSE:SENSEX",
        ["BANKEX"] = "BSE:BANKEX",
    };

    public static (List<DhanScrip> Rows, int Rejected) Parse(TextReader reader, string feed)
    {
        string? header = reader.ReadLine();
        Dictionary<string, int> columns = (header ?? "").Trim().TrimStart('\uFEFF').Split(',')
            .Select((name, index) => (Name: name.Trim(), index))
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().index, StringComparer.OrdinalIgnoreCase);
        string[] missing = [.. s_required.Where(c => !columns.ContainsKey(c))];
        if (missing.Length > 0)
        {
            throw new FormatException($"not a Dhan scrip master (compact CSV): the header lacks {string.Join(", ", missing)}");
        }

        var rows = new List<DhanScrip>();
        int rejected = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseRow(CsvFields.Split(line), columns, feed, out DhanScrip? scrip))
            {
                rows.Add(scrip);
            }
            else
            {
                rejected++;
            }
        }

        return (rows, rejected);
    }

    public static bool TryParseRow(List<string> f, Dictionary<string, int> columns, string feed, [NotNullWhen(true)] out DhanScrip? scrip)
    {
        scrip = null;
        string Field(string name) => columns.TryGetValue(name, out int i) && i < f.Count ? f[i].Trim() : "";

        string exchange = Field("SEM_EXM_EXCH_ID").ToUpperInvariant();
        string instrumentName = Field("SEM_INSTRUMENT_NAME").ToUpperInvariant();
        string dhanSymbol = Field("SEM_TRADING_SYMBOL");
        string custom = Field("SEM_CUSTOM_SYMBOL");
        if (f.Count < columns.Count
            || SegmentOf(exchange, Field("SEM_SEGMENT").ToUpperInvariant(), instrumentName) is not { } segment
            || !int.TryParse(Field("SEM_SMST_SECURITY_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out int securityId)
            || !decimal.TryParse(Field("SEM_TICK_SIZE"), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal tickPaise) || tickPaise < 0
            || !decimal.TryParse(Field("SEM_LOT_UNITS"), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal lot) || lot < 0
            || dhanSymbol.Length == 0)
        {
            return false;
        }

        string option = Field("SEM_OPTION_TYPE").ToUpperInvariant();
        InstrumentKind? kind = instrumentName switch
        {
            "INDEX" => InstrumentKind.Index,
            "EQUITY" => InstrumentKind.Equity,
            _ when instrumentName.StartsWith("FUT", StringComparison.Ordinal) => InstrumentKind.Future,
            _ when instrumentName.StartsWith("OPT", StringComparison.Ordinal) && option == "CE" => InstrumentKind.Call,
            _ when instrumentName.StartsWith("OPT", StringComparison.Ordinal) && option == "PE" => InstrumentKind.Put,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        DateOnly? expiry = null;
        Price strike = Price.None;
        string root = dhanSymbol.Split('-')[0].Trim();
        if (kind is InstrumentKind.Future or InstrumentKind.Call or InstrumentKind.Put)
        {
            string expiryText = Field("SEM_EXPIRY_DATE");
            if (expiryText.Length < 10 || !DateOnly.TryParseExact(expiryText[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed))
            {
                return false;
            }

            expiry = parsed;
        }

        if (kind is InstrumentKind.Call or InstrumentKind.Put)
        {
            if (!decimal.TryParse(Field("SEM_STRIKE_PRICE"), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal strikeValue) || strikeValue <= 0)
            {
                return false;
            }

            strike = Price.FromDecimal(strikeValue);
        }

        string canonicalExchange = CanonicalExchange(exchange, segment);
        string tradingSymbol = kind switch
        {
            InstrumentKind.Index => (custom.Length > 0 ? custom : dhanSymbol).ToUpperInvariant(),
            InstrumentKind.Future => DerivativeSymbols.Future(root, expiry!.Value),
            InstrumentKind.Call or InstrumentKind.Put when Field("SEM_EXPIRY_FLAG").Equals("W", StringComparison.OrdinalIgnoreCase) =>
                DerivativeSymbols.WeeklyOption(root, expiry!.Value, strike.ToDecimal(), kind == InstrumentKind.Call),
            InstrumentKind.Call or InstrumentKind.Put => DerivativeSymbols.MonthlyOption(root, expiry!.Value, strike.ToDecimal(), kind == InstrumentKind.Call),
            _ => dhanSymbol.ToUpperInvariant(),
        };
        string name = Field("SM_SYMBOL_NAME") is { Length: > 0 } symbolName ? symbolName : root;
        bool derivative = kind is InstrumentKind.Future or InstrumentKind.Call or InstrumentKind.Put;
        var definition = new Instrument
        {
            Exchange = canonicalExchange,
            TradingSymbol = tradingSymbol,
            Name = kind == InstrumentKind.Index ? tradingSymbol : name,
            Kind = kind.Value,
            Underlying = derivative ? s_indexUnderlyings.GetValueOrDefault(root, UnderlyingExchange(canonicalExchange) + ":" + root) : null,
            Expiry = expiry,
            Strike = strike,
            TickSize = Price.FromDecimal(tickPaise / 100m),
            LotSize = (int)Math.Clamp(lot, 0, int.MaxValue),
            Calendar = CalendarOf(segment),
            Feed = feed,
            NativeKey = DhanScrip.NativeKey(segment, securityId),
        };
        scrip = new DhanScrip(segment, securityId, definition, dhanSymbol, custom);
        return true;
    }

    /// <summary>One compact row for an instrument (the emulator serves these): Dhan's own trading and custom symbols included.</summary>
    public static string Row(byte segment, int securityId, Instrument i, string dhanSymbol, string custom)
    {
        (string exchange, string segmentLetter) = segment switch
        {
            DhanSegment.Index => (i.Exchange, "I"),
            DhanSegment.NseEquity => ("NSE", "E"),
            DhanSegment.NseFno => ("NSE", "D"),
            DhanSegment.NseCurrency => ("NSE", "C"),
            DhanSegment.BseEquity => ("BSE", "E"),
            DhanSegment.BseFno => ("BSE", "D"),
            DhanSegment.BseCurrency => ("BSE", "C"),
            _ => ("MCX", "M"),
        };
        string instrument = i.Kind switch
        {
            InstrumentKind.Index => "INDEX",
            InstrumentKind.Future => "FUTIDX",
            InstrumentKind.Call or InstrumentKind.Put => "OPTIDX",
            _ => "EQUITY",
        };
        string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text}\"" : text;
        bool weekly = i.Expiry is { } e && i.IsOption && e != DerivativeSymbols.LastTuesday(e.Year, e.Month);
        return string.Join(',',
            exchange, segmentLetter, securityId.ToString(CultureInfo.InvariantCulture), instrument, "0", Quote(dhanSymbol),
            i.LotSize.ToString("0.0", CultureInfo.InvariantCulture), Quote(custom),
            i.Expiry is { } expiry ? expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 14:30:00" : "",
            i.Strike.HasValue ? i.Strike.ToDecimal().ToString("0.00000", CultureInfo.InvariantCulture) : "-0.01000",
            i.Kind switch { InstrumentKind.Call => "CE", InstrumentKind.Put => "PE", _ => "XX" },
            (i.TickSize.ToDecimal() * 100m).ToString("0.0000", CultureInfo.InvariantCulture),
            i.Expiry is null ? "NA" : weekly ? "W" : "M",
            i.Kind switch { InstrumentKind.Index => "INDEX", InstrumentKind.Equity => "ES", InstrumentKind.Future => "FUT", _ => "OP" },
            i.Kind == InstrumentKind.Equity ? "EQ" : "NA",
            Quote(i.Kind == InstrumentKind.Index ? dhanSymbol : i.Name));
    }

    private static byte? SegmentOf(string exchange, string segment, string instrument) => (exchange, segment) switch
    {
        _ when segment == "I" || instrument == "INDEX" => DhanSegment.Index,
        ("NSE", "E") => DhanSegment.NseEquity,
        ("NSE", "D") => DhanSegment.NseFno,
        ("NSE", "C") => DhanSegment.NseCurrency,
        ("BSE", "E") => DhanSegment.BseEquity,
        ("BSE", "D") => DhanSegment.BseFno,
        ("BSE", "C") => DhanSegment.BseCurrency,
        ("MCX", "M") => DhanSegment.McxCommodity,
        _ => null,
    };

    private static string CanonicalExchange(string exchange, byte segment) => segment switch
    {
        DhanSegment.NseFno => "NFO",
        DhanSegment.BseFno => "BFO",
        DhanSegment.NseCurrency => "CDS",
        DhanSegment.BseCurrency => "BCD",
        DhanSegment.McxCommodity => "MCX",
        DhanSegment.BseEquity => "BSE",
        DhanSegment.Index => exchange,
        _ => "NSE",
    };

    private static string UnderlyingExchange(string exchange) => exchange switch
    {
        "BFO" => "BSE",
        "MCX" or "CDS" or "BCD" => exchange,
        _ => "NSE",
    };

    private static SessionCalendar CalendarOf(byte segment) => segment switch
    {
        DhanSegment.NseCurrency or DhanSegment.BseCurrency => SessionCalendars.IndianCurrency,
        DhanSegment.McxCommodity => SessionCalendars.IndianCommodity,
        _ => SessionCalendar.IndianEquity,
    };
}
