using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>The scrip master: Dhan's published sample rows, Dhan's own names resolving, bad rows counted and skipped.</summary>
public sealed class DhanScripMasterCsvTests : IDisposable
{
    private const string Csv =
        DhanScripMasterCsv.Header + "\n" +
        "NSE,I,13,INDEX,0,NIFTY,1.0,Nifty 50,,7.00000,,1.0000,NA,INDEX,X,NIFTY\n" +
        "NSE,E,2885,EQUITY,0,RELIANCE,1.0,Reliance Industries,,-0.01000,XX,10.0000,NA,ES,EQ,RELIANCE INDUSTRIES\n" +
        "BSE,E,500325,EQUITY,0,RELIANCE,1.0,Reliance Industries,,-0.01000,XX,5.0000,NA,ES,A,RELIANCE INDUSTRIES\n" +
        "NSE,D,44430,OPTIDX,0,NIFTY-Oct2024-25800-CE,25.0,NIFTY 24 OCT 25800 CALL,2024-10-24 14:30:00,25800.00000,CE,5.0000,W,OP,,\n" +
        "NSE,D,35012,FUTIDX,0,NIFTY-Dec2024-FUT,25.0,NIFTY DEC FUT,2024-12-26 14:30:00,-0.01000,XX,10.0000,M,FUT,,\n" +
        "NSE,D,61755,OPTSTK,0,ICICIGI-Oct2024-1860-CE,500.0,ICICIGI 28 OCT 1860 CALL,2024-10-31 14:30:00,1860.00000,CE,5.0000,M,OP,,ICICIGI\n" +
        "NSE,D,61756,OPTSTK,0,ICICIGI-Oct2024-1860-PE,500.0,ICICIGI 28 OCT 1860 PUT,not-a-date,1860.00000,PE,5.0000,M,OP,,ICICIGI\n" +
        "NSE,Z,1,EQUITY,0,ODD,1.0,Odd,,-0.01000,XX,5.0000,NA,ES,EQ,ODD\n" +
        "NSE,E,abc,EQUITY,0,BAD,1.0,Bad,,-0.01000,XX,5.0000,NA,ES,EQ,BAD\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("mf-dhan-scrip-").FullName;

    private async Task<(InstrumentRegistry Registry, DhanInstrumentMaster Master)> LoadAsync(string csv)
    {
        string path = Path.Combine(_directory, "scrip.csv");
        await File.WriteAllTextAsync(path, csv);
        var options = new DhanOptions { InstrumentsFile = path };
        using var rest = new DhanRestClient(() => options, TimeProvider.System);
        var registry = new InstrumentRegistry();
        var master = new DhanInstrumentMaster();
        await master.LoadAsync(options, rest, registry, "dhan", new DateOnly(2024, 10, 1), CancellationToken.None);
        return (registry, master);
    }

    [Fact]
    public async Task Real_rows_become_canonical_symbols_with_tick_sizes_lots_and_expiries()
    {
        (InstrumentRegistry registry, DhanInstrumentMaster master) = await LoadAsync(Csv);
        Instrument index = registry.Resolve("NSE:NIFTY 50");
        Assert.Equal((InstrumentKind.Index, "NSE:NIFTY 50"), (index.Kind, index.Symbol));
        Instrument option = registry.Resolve("NFO:NIFTY24O2425800CE");
        Assert.Equal((InstrumentKind.Call, Price.FromDecimal(25800m), Price.FromDecimal(0.05m), 25), (option.Kind, option.Strike, option.TickSize, option.LotSize));
        Assert.Equal((new DateOnly(2024, 10, 24), "NSE:NIFTY 50", "NSE_FNO:44430"), (option.Expiry!.Value, option.Underlying, option.NativeKey));
        Assert.Equal("NFO:NIFTY24DECFUT", registry.Resolve("NIFTY-Dec2024-FUT").Symbol);
        Assert.Equal("NFO:ICICIGI24OCT1860CE", registry.Resolve("ICICIGI 28 OCT 1860 CALL").Symbol);
        Assert.Equal(Price.FromDecimal(0.10m), registry.Resolve("NSE:RELIANCE").TickSize);
        Assert.True(master.TryGetSecurity(option.Id, out byte segment, out int id));
        Assert.Equal((DhanSegment.NseFno, 44430), (segment, id));
        Assert.True(master.Securities.TryGet(DhanSegment.Index, 13, out DhanSecurity nifty));
        Assert.Equal(index.Id, nifty.Instrument);
    }

    [Fact]
    public async Task Dhans_own_names_resolve_to_the_same_instrument_and_shared_names_resolve_none()
    {
        (InstrumentRegistry registry, DhanInstrumentMaster master) = await LoadAsync(Csv);
        Instrument option = registry.Resolve("NSE_FNO:44430");
        Assert.Same(option, registry.Resolve("NIFTY-Oct2024-25800-CE"));
        Assert.Same(option, registry.Resolve("nifty 24 oct 25800 call"));
        Assert.Same(option, registry.Resolve("44430"));

        // NSE's and BSE's RELIANCE share Dhan's trading and custom symbols: neither name is taken, both keys are.
        Assert.False(registry.TryGetBySymbol("Reliance Industries", out _));
        Assert.Equal("NSE:RELIANCE", registry.Resolve("NSE_EQ:2885").Symbol);
        Assert.Equal("BSE:RELIANCE", registry.Resolve("BSE_EQ:500325").Symbol);
        Assert.True(master.AmbiguousAliases >= 1);
    }

    [Fact]
    public async Task A_symbol_that_does_not_resolve_offers_close_matches()
    {
        (InstrumentRegistry registry, _) = await LoadAsync(Csv);
        UnknownSymbolException e = Assert.Throws<UnknownSymbolException>(() => registry.Resolve("ICICIGI 1860 CE"));
        Assert.Contains(e.CloseMatches, s => s.Symbol == "NFO:ICICIGI24OCT1860CE");
    }

    [Fact]
    public async Task Malformed_rows_are_skipped_and_counted_and_the_load_succeeds()
    {
        (InstrumentRegistry registry, DhanInstrumentMaster master) = await LoadAsync(Csv + "NSE,E\n");
        Assert.Equal(6, master.Count);
        Assert.Equal(4, master.Rejected);
        Assert.Equal(6, registry.Count);
    }

    [Fact]
    public async Task A_file_that_is_not_a_scrip_master_fails_naming_the_missing_columns()
    {
        FormatException e = await Assert.ThrowsAsync<FormatException>(() => LoadAsync("a,b,c\n1,2,3\n"));
        Assert.Contains("SEM_SMST_SECURITY_ID", e.Message);
    }

    [Fact]
    public async Task A_missing_local_file_is_a_configuration_error_naming_the_setting()
    {
        var options = new DhanOptions { InstrumentsFile = Path.Combine(_directory, "absent.csv") };
        using var rest = new DhanRestClient(() => options, TimeProvider.System);
        FeedConfigurationException e = await Assert.ThrowsAsync<FeedConfigurationException>(
            () => new DhanInstrumentMaster().LoadAsync(options, rest, new InstrumentRegistry(), "dhan", default, CancellationToken.None));
        Assert.Contains("Dhan:InstrumentsFile", e.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
