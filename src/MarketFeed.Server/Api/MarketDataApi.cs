using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Server.Api.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Server.Api;

/// <summary>The HTTP API (docs/server.md): status, instruments, subscriptions, latest tick, candles, order books, health.</summary>
internal static class MarketDataApi
{
    private const int MaxSearchResults = 500;
    private const int MaxCandles = 10_000;

    public static void Map(IEndpointRouteBuilder app, MarketFeedHost host, GatewaySubscriptions subscriptions)
    {
        RouteGroupBuilder api = app.MapGroup("/api").DecodeSlashesInSymbols();

        api.MapGet("/status", () => new JsonBody(w => StatusJson.Write(w, host.Status())))
            .WithSummary("Feeds, per-instrument health and quality counters")
            .Produces<StatusResponse>();

        api.MapGet("/instruments", (string? q, int? limit) =>
        {
            if (string.IsNullOrWhiteSpace(q))
            {
                return Problems.BadRequest("give the text to search as ?q=, e.g. /api/instruments?q=NIFTY%2024000%20CE");
            }

            if (limit is < 1 or > MaxSearchResults)
            {
                return Problems.BadRequest($"limit must be from 1 to {MaxSearchResults} (default 20)");
            }

            IReadOnlyList<Instrument> found = host.Instruments.Search(q, limit ?? 20, asOfUtc: host.Time.GetUtcNow().UtcDateTime);
            return new JsonBody(w => WriteArray(w, found, InstrumentJson.Write));
        }).WithSummary("Search instruments by text, best match first")
            .Produces<InstrumentResponse[]>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/subscriptions", () => new JsonBody(w => WriteSubscriptions(w, subscriptions.Current)))
            .WithSummary("The gateway's subscriptions")
            .Produces<SubscriptionsResponse>();

        api.MapPost("/subscriptions", (SubscriptionRequest request) =>
        {
            if (request.Symbols is not { Length: > 0 })
            {
                return Problems.BadRequest("give at least one symbol: {\"symbols\":[\"NSE:INFY\"],\"mode\":\"quote\"}");
            }

            if (!TryParseMode(request.Mode, out FeedMode mode))
            {
                return Problems.BadRequest($"mode '{request.Mode}' is not valid: use ltp, quote or full");
            }

            try
            {
                subscriptions.Add(request.Symbols, mode);
            }
            catch (UnknownSymbolException e)
            {
                return Problems.UnknownSymbol(e, StatusCodes.Status400BadRequest);
            }

            return new JsonBody(w => WriteSubscriptions(w, subscriptions.Current));
        }).WithSummary("Subscribe symbols (all or none)")
            .Produces<SubscriptionsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapDelete("/subscriptions/{symbol}", (string symbol) =>
            WithSymbol(() => subscriptions.Remove(symbol)
                ? Results.NoContent()
                : Problems.NotFound($"{symbol} is not subscribed by the gateway")))
            .WithSummary("Unsubscribe one symbol")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/ticks/{symbol}/latest", (string symbol) => WithSymbol(() =>
        {
            Instrument instrument = host.Resolve(symbol);
            return host.Hub.Quotes.TryGetLatest(instrument.Id, out Tick tick)
                ? new JsonBody(w => TickJson.Write(w, in tick, instrument))
                : Problems.NotFound(host.Subscriptions.IsWanted(instrument.Id)
                    ? $"no tick yet for {instrument.Symbol}: it is subscribed and its feed has not sent one yet (a closed market sends none); try again shortly"
                    : $"no tick yet for {instrument.Symbol}: subscribe to it first (POST /api/subscriptions)");
        })).WithSummary("The latest tick of one instrument")
            .Produces<TickResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/candles/{symbol}", async (string symbol, string? interval, int? count) =>
        {
            if (!TryInterval(interval, out CandleInterval parsed, out IResult? problem))
            {
                return problem;
            }

            if (count is < 0 or > MaxCandles)
            {
                return Problems.BadRequest($"count must be from 0 to {MaxCandles} closed candles (default 100)");
            }

            return await WithSymbolAsync(async () =>
            {
                Instrument instrument = host.Resolve(symbol);
                CandleSnapshot snapshot = await host.Hub.GetCandlesAsync(instrument.Id, parsed, count ?? 100);
                List<Candle> candles = [.. snapshot.Closed];
                if (snapshot.Current is { } current)
                {
                    candles.Add(current);
                }

                return new JsonBody(w => WriteArray(w, candles, (writer, c) => CandleJson.Write(writer, in c, parsed, instrument)));
            });
        }).WithSummary("Closed candles, oldest first, then the forming one")
            .Produces<CandleResponse[]>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/candles/{symbol}/current", async (string symbol, string? interval) =>
        {
            if (!TryInterval(interval, out CandleInterval parsed, out IResult? problem))
            {
                return problem;
            }

            return await WithSymbolAsync(async () =>
            {
                Instrument instrument = host.Resolve(symbol);
                CandleSnapshot snapshot = await host.Hub.GetCandlesAsync(instrument.Id, parsed, 0);
                return snapshot.Current is { } current
                    ? new JsonBody(w => CandleJson.Write(w, in current, parsed, instrument))
                    : Problems.NotFound($"no {parsed} candle is forming for {instrument.Symbol}");
            });
        }).WithSummary("The forming candle")
            .Produces<CandleResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/candles/{symbol}/status", async (string symbol) => await WithSymbolAsync(async () =>
        {
            Instrument instrument = host.Resolve(symbol);
            IReadOnlyList<CandleSeriesStatus> series = await host.Hub.CandleStatusAsync(instrument.Id);
            return new JsonBody(w => CandleStatusJson.Write(w, instrument, series));
        })).WithSummary("Where the bars of each candle series of the instrument came from, and how its history loaded")
            .Produces<CandleStatusResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        BooksApi.Map(api, host);
        ChainsApi.Map(api, host);
    }

    internal static bool TryParseMode(string? text, out FeedMode mode)
    {
        mode = FeedMode.Quote;
        return string.IsNullOrEmpty(text) || (Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _));
    }

    private static bool TryInterval(string? text, out CandleInterval interval, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        if (CandleInterval.TryParse(text ?? "1m", out interval, out string? error))
        {
            problem = null;
            return true;
        }

        problem = Problems.BadRequest(error);
        return false;
    }

    private static IResult WithSymbol(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (UnknownSymbolException e)
        {
            return Problems.UnknownSymbol(e);
        }
    }

    private static async Task<IResult> WithSymbolAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (UnknownSymbolException e)
        {
            return Problems.UnknownSymbol(e);
        }
    }

    private static void WriteArray<T>(System.Text.Json.Utf8JsonWriter writer, IEnumerable<T> items, Action<System.Text.Json.Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray();
        foreach (T item in items)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteSubscriptions(System.Text.Json.Utf8JsonWriter writer, IReadOnlyList<(Instrument Instrument, FeedMode Mode)> current)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("subscriptions");
        foreach ((Instrument instrument, FeedMode mode) in current)
        {
            writer.WriteStartObject();
            writer.WriteString("symbol", instrument.Symbol);
            writer.WriteString("mode", mode.Lower());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
