using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Instruments;

namespace MarketFeed.Serialization;

/// <summary>Where the bars of an instrument's candle series came from (docs/contracts.md, <c>GET /api/candles/{symbol}/status</c>).</summary>
public static class CandleStatusJson
{
    public static void Write(Utf8JsonWriter writer, Instrument instrument, IReadOnlyList<CandleSeriesStatus> series)
    {
        TimeZoneInfo zone = instrument.Calendar.Zone;
        writer.WriteStartObject();
        writer.WriteString("symbol", instrument.Symbol);
        writer.WriteStartArray("series");
        foreach (CandleSeriesStatus s in series)
        {
            writer.WriteStartObject();
            writer.WriteString("interval", s.Interval.Label);
            writer.WriteStartObject("bars");
            foreach (CandleOrigin origin in Enum.GetValues<CandleOrigin>())
            {
                writer.WriteNumber(origin.Lower(), s.CountOf(origin));
            }

            writer.WriteEndObject();
            SeriesLoadStatus? load = s.Load;
            writer.WriteString("load", (load?.State ?? SeriesLoadState.None).Lower());
            if (load is not null)
            {
                JsonValues.WriteTime(writer, "loadedAt", load.LoadedAt, zone);
                writer.WriteNumber("fromStore", load.FromStore);
                writer.WriteNumber("fromVenue", load.FromVenue);
                writer.WriteNumber("backfilled", load.Backfilled);
                writer.WriteNumber("venueRequests", load.VenueRequests);
                writer.WriteNumber("skipped", load.Skipped);
                if (load.Error is { } error)
                {
                    writer.WriteString("error", error);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
