using System.Globalization;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Cli.Output;

/// <summary>
/// One aligned line per tick for people: symbol, LTP, bid, ask, volume, time (exchange's clock). Prices show the
/// instrument's tick-size decimals; absent values show as "-".
/// </summary>
internal sealed class TickLineFormatter(int symbolWidth)
{
    public string Header() =>
        string.Create(CultureInfo.InvariantCulture, $"{"SYMBOL".PadRight(symbolWidth)}  {"LTP",12}  {"BID",12}  {"ASK",12}  {"VOLUME",14}  {"TIME",-12}");

    public string Format(in Tick tick, Instrument instrument)
    {
        int decimals = Decimals(instrument.TickSize);
        string time = TimeZones.ToZone(tick.EventTime, instrument.Calendar.Zone).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{instrument.Symbol.PadRight(symbolWidth)}  {Price(tick.Ltp, decimals),12}  {Price(tick.Bid, decimals),12}  {Price(tick.Ask, decimals),12}  {Volume(tick.Volume),14}  {time}");
    }

    public static int Decimals(Price tickSize)
    {
        if (!tickSize.HasValue || tickSize.Raw <= 0)
        {
            return 2;
        }

        int decimals = 8;
        long raw = tickSize.Raw;
        while (decimals > 0 && raw % 10 == 0)
        {
            raw /= 10;
            decimals--;
        }

        return decimals;
    }

    public static string Price(Price price, int decimals) =>
        price.HasValue ? price.ToDecimal().ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";

    private static string Volume(Quantity volume) => volume.HasValue ? volume.ToString() : "-";
}
