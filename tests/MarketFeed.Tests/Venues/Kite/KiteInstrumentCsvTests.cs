using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Tests.Venues.Kite;

public class KiteInstrumentCsvTests
{
    [Fact]
    public void Parses_the_documented_rows_into_instruments_keyed_by_token()
    {
        string csv = KiteInstrumentCsv.Header + "\n" +
            "12073986,47164,BANKNIFTY18JAN23500CE,BANKNIFTY,2528.4,2018-01-25,23500.0,0.05,40,CE,NFO-OPT,NFO\n" +
            "3861249,15083,ADANIPORTS,\"ADANI PORT & SEZ, LTD\",0.0,,0.0,0.05,1,EQ,NSE,NSE\n" +
            "256265,1001,NIFTY 50,NIFTY 50,0,,0,0.05,0,EQ,INDICES,NSE\n" +
            "not,a,row\n" +
            "1,2,X,Y,0,2018-13-45,0,0.05,1,EQ,NSE,NSE\n";
        (List<(uint Token, Instrument Instrument)> rows, int rejected) = KiteInstrumentCsv.Parse(new StringReader(csv), "kite");

        Assert.Equal(2, rejected);
        Assert.Equal([12073986u, 3861249u, 256265u], rows.Select(r => r.Token));
        Instrument option = rows[0].Instrument;
        Assert.Equal(("NFO:BANKNIFTY18JAN23500CE", InstrumentKind.Call, "NSE:NIFTY BANK", new DateOnly(2018, 1, 25), 40),
            (option.Symbol, option.Kind, option.Underlying, option.Expiry!.Value, option.LotSize));
        Assert.Equal(Price.FromDecimal(23500m), option.Strike);
        Assert.Equal("12073986", option.NativeKey);
        Assert.Equal("ADANI PORT & SEZ, LTD", rows[1].Instrument.Name);
        Assert.Equal((InstrumentKind.Index, false), (rows[2].Instrument.Kind, rows[2].Instrument.IsTradable));
    }

    [Fact]
    public void A_file_that_is_not_a_dump_is_refused_with_what_was_expected()
    {
        FormatException error = Assert.Throws<FormatException>(() => KiteInstrumentCsv.Parse(new StringReader("a,b,c\n"), "kite"));
        Assert.Contains("instrument_token,exchange_token", error.Message);
    }

    [Fact]
    public void Rows_written_for_the_emulator_parse_back_to_the_same_instrument()
    {
        Instrument original = new()
        {
            Exchange = "NFO", TradingSymbol = "NIFTY26NOV24000PE", Name = "NIFTY", Kind = InstrumentKind.Put, Underlying = "NSE:NIFTY 50",
            Expiry = new DateOnly(2026, 11, 24), Strike = Price.FromDecimal(24000), TickSize = Price.FromScaled(5, 2), LotSize = 75,
            Calendar = SessionCalendar.IndianEquity, Feed = "kite", NativeKey = "1234",
        };
        Assert.True(KiteInstrumentCsv.TryParseRow(KiteInstrumentCsv.Row(1234, original), "kite", out uint token, out Instrument? parsed));
        Assert.Equal(1234u, token);
        Assert.Equal(original, parsed);
    }
}
