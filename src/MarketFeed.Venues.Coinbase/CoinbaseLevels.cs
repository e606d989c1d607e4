using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// An <c>l2_data</c> event's <c>updates</c>: <c>[{"side":"bid"|"offer","event_time":…,"price_level":"…","new_quantity":"…"}]</c>.
/// <c>new_quantity</c> is the level's whole size ("0" removes it), kept as sent; the latest <c>event_time</c> becomes
/// the update's exchange time. Any other side (Coinbase says <c>offer</c>, never <c>ask</c>), a missing field or an
/// inexact number fails the event. Removals are put ahead of the other changes of their side: a book keeps only its
/// best levels, so a move that replaces every kept level must drop the old ones before the new, worse-looking ones
/// arrive, or the new ones find the side full and the removals then empty it (Coinbase's order within an update is
/// not documented).
/// </summary>
internal static class CoinbaseLevels
{
    [ThreadStatic]
    private static BookUpdate? t_later;

    public static bool Read(ref Utf8JsonReader reader, BookUpdate book)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        BookUpdate later = t_later ??= new BookUpdate();
        later.Clear();
        if (!ReadLevels(ref reader, book, later))
        {
            return false;
        }

        foreach (BookLevelChange bid in later.Bids)
        {
            book.AddBid(bid.Price, bid.Quantity);
        }

        foreach (BookLevelChange ask in later.Asks)
        {
            book.AddAsk(ask.Price, ask.Quantity);
        }

        return true;
    }

    /// <summary>Removals into <paramref name="book"/>, every other change into <paramref name="later"/>.</summary>
    private static bool ReadLevels(ref Utf8JsonReader reader, BookUpdate book, BookUpdate later)
    {

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

            BookUpdate into = quantity == 0 ? book : later;
            if (side == 1)
            {
                into.AddBid(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
            else
            {
                into.AddAsk(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
        }

        return true;
    }
}
