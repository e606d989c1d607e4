using System.Globalization;
using MarketFeed.Chains;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Server.Api.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Server.Api;

/// <summary>
/// <c>GET /api/chains</c> (underlyings with options and their expiries) and <c>GET /api/chains/{underlying}?expiry=&amp;strikes=N&amp;mode=</c>:
/// a live option chain with implied volatilities, Greeks, ATM, put-call ratios and max pain.
/// </summary>
internal static class ChainsApi
{
    /// <summary>How long a first request waits for a newly opened chain's first prices.</summary>
    private static readonly TimeSpan FirstDataWait = TimeSpan.FromSeconds(3);

    public static void Map(RouteGroupBuilder api, MarketFeedHost host)
    {
        ChainService chains = host.Chains;
        api.MapGet("/chains", () => new JsonBody(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("underlyings");
            foreach (ChainListing listing in chains.List())
            {
                w.WriteStartObject();
                w.WriteString("root", listing.Root);
                w.WriteString("underlying", listing.UnderlyingSymbol);
                w.WriteString("feed", listing.Feed);
                w.WriteStartArray("expiries");
                foreach (DateOnly expiry in listing.Expiries)
                {
                    w.WriteStringValue(expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        })).WithSummary("The underlyings that have option chains, with their expiries soonest first")
            .Produces<ChainListResponse>();

        api.MapGet("/chains/{underlying}", async (string underlying, string? expiry, string? strikes, string? mode, CancellationToken cancellationToken) =>
        {
            if (!MarketDataApi.TryParseMode(mode, out FeedMode feedMode))
            {
                return Problems.BadRequest("mode must be ltp, quote or full (the mode the chain's options are subscribed in; default quote)");
            }

            if (expiry is not null && !DateOnly.TryParseExact(expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return Problems.BadRequest($"expiry '{expiry}' is not a date: use yyyy-MM-dd (GET /api/chains lists the expiries)");
            }

            int? each = null;
            if (strikes is not null)
            {
                if (!int.TryParse(strikes, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed < 1 || parsed > chains.Options.MaxStrikesEachSide)
                {
                    return Problems.BadRequest($"strikes must be a whole number from 1 to {chains.Options.MaxStrikesEachSide} (strikes each side of the money); default {chains.Options.StrikesEachSide}");
                }

                each = parsed;
            }

            try
            {
                LiveChain chain = chains.Shared(underlying, expiry, each, feedMode);
                await chain.WaitForDataAsync(FirstDataWait, cancellationToken);
                ChainView view = chain.Snapshot();
                return new JsonBody(w => ChainJson.Write(w, view, chains.Options.RiskFreeRate));
            }
            catch (NoOptionsException e)
            {
                return Problems.NoOptions(e);
            }
            catch (UnknownExpiryException e)
            {
                return Problems.UnknownExpiry(e);
            }
            catch (InvalidOperationException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many chains");
            }
        }).WithSummary("A live option chain: every strike of the window (± strikes around the money, default Chains:StrikesEachSide) with LTP, bid/ask, OI and its change, volume, IV from mid and last, delta, gamma, theta, vega; ATM, PCR, max pain. The underlying is a root (NIFTY) or a symbol; expiry yyyy-MM-dd, default the nearest; mode the subscription mode of its options (default quote; some venues send OI only in full)")
            .Produces<ChainResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
