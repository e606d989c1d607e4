using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>
/// What a chain is made of, from the instrument registry: the underlying (the index or stock the options are on),
/// the future of the same expiry when one is listed (then options are priced Black-76 on it), and every listed
/// strike with its call and put, ascending.
/// </summary>
public sealed class ChainDefinition
{
    public ChainDefinition(string underlyingSymbol, Instrument? underlying, Instrument? future, DateOnly expiry, IReadOnlyList<ChainStrike> strikes)
    {
        UnderlyingSymbol = underlyingSymbol;
        Underlying = underlying;
        Future = future;
        Expiry = expiry;
        Strikes = strikes;
        Instrument first = strikes.Select(s => s.Call ?? s.Put).First(i => i is not null)!;
        Feed = first.Feed;
        LotSize = first.LotSize;
        Root = first.Name;
        Calendar = first.Calendar;
    }

    /// <summary>Canonical symbol of the underlying ("NSE:NIFTY 50").</summary>
    public string UnderlyingSymbol { get; }

    /// <summary>The underlying's instrument, when the venue lists it (null: only the future can price the chain).</summary>
    public Instrument? Underlying { get; }

    public Instrument? Future { get; }

    public DateOnly Expiry { get; }

    public IReadOnlyList<ChainStrike> Strikes { get; }

    public string Feed { get; }

    /// <summary>The options' root name ("NIFTY").</summary>
    public string Root { get; }

    public int LotSize { get; }

    public SessionCalendar Calendar { get; }

    /// <summary>The moment the options expire: <paramref name="expiryTime"/> on the expiry day in the exchange's zone.</summary>
    public DateTime ExpiryUtc(TimeSpan expiryTime) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(Expiry.ToDateTime(TimeOnly.FromTimeSpan(expiryTime)), DateTimeKind.Unspecified), Calendar.Zone);

    /// <summary>Index of the listed strike nearest <paramref name="price"/> (the lower on a tie).</summary>
    public int NearestStrike(double price)
    {
        int low = 0, high = Strikes.Count - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (Strikes[middle].Strike.ToDouble() < price)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        if (low > 0 && price - Strikes[low - 1].Strike.ToDouble() <= Strikes[low].Strike.ToDouble() - price)
        {
            return low - 1;
        }

        return low;
    }
}
