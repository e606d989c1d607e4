using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// An <c>l2_data</c> event's <c>updates</c>: <c>[{"side":"bid"|"offer","event_time":…,"price_level":"…","new_quantity":"…"}]</c>.
/// <c>new_quantity</c> is the level's whole size ("0" removes it), kept as sent; the latest <c>event_time</c> becomes
/// the update's exchange time. Any other side (Coinbase says <c>offer</c>, never <c>ask</c>), a missing field or an
/// inexact number fails the event.
/// </summary>
internal static class CoinbaseLevels
{
    public static bool Read(ref Utf8JsonReader reader, BookUpdate book)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            int side = -1;
            long price = -1;
            long quantity = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("side"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    side = reader.ValueTextEquals("bid"u8) ? 1 : reader.ValueTextEquals("offer"u8) ? 0 : -1;
                    if (side < 0)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("price_level"u8))
                {
                    if (!reader.Read() || !CoinbaseJsonValues.TryFixed(ref reader, out price))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("new_quantity"u8))
                {
                    if (!reader.Read() || !CoinbaseJsonValues.TryFixed(ref reader, out quantity))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("event_time"u8))
                {
                    if (!reader.Read() || !CoinbaseJsonValues.TryTime(ref reader, out DateTime time))
                    {
                        return false;
                    }

                    // Snapshot levels come stamped with the Unix epoch: no time at all.
                    if (time > book.ExchangeTime && time > DateTime.UnixEpoch)
                    {
                        book.ExchangeTime = time;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // A level at price 0 is no level.
            if (reader.TokenType != JsonTokenType.EndObject || side < 0 || price <= 0 || quantity < 0)
            {
                return false;
            }

            if (side == 1)
            {
                book.AddBid(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
            else
            {
                book.AddAsk(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
        }

        return true;
    }
}
