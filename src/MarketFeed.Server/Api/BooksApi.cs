using System.Globalization;
using MarketFeed.Books;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Serialization;
using MarketFeed.Server.Api.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Server.Api;

/// <summary><c>GET /api/books/{symbol}?depth=N</c>: the order book the hub keeps, as a snapshot with its update id, times and counters.</summary>
internal static class BooksApi
{
    public static void Map(RouteGroupBuilder api, MarketFeedHost host)
    {
        BookOptions options = host.Hub.Options.Books;
        api.MapGet("/books/{symbol}", async (string symbol, string? depth) =>
        {
            int levels = options.Depth;
            if (depth is not null && (!int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out levels) || levels < 1 || levels > options.LevelsKept))
            {
                return Problems.BadRequest($"depth must be a whole number from 1 to {options.LevelsKept} (levels a side); default {options.Depth}");
            }

            try
            {
                Instrument instrument = host.Resolve(symbol);
                BookView? book = await host.Hub.GetBookAsync(instrument.Id, levels);
                if (book is not null)
                {
                    return new JsonBody(w => BookJson.WriteSnapshot(w, book, instrument, details: true));
                }

                return Problems.NotFound(host.Subscriptions.IsWanted(instrument.Id)
                    ? $"{instrument.Symbol} has no order book: its venue sends none for it (or has not sent the first yet)"
                    : $"{instrument.Symbol} has no order book here: it is not subscribed (POST /api/subscriptions), and only instruments whose venue sends books have one");
            }
            catch (UnknownSymbolException e)
            {
                return Problems.UnknownSymbol(e);
            }
        }).WithSummary("The order book of one instrument, where its venue has one: bids and asks best first (depth 1 to Hub:Books:LevelsKept, default Hub:Books:Depth), state, update id, gap/resync/checksum counters")
            .Produces<BookResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
