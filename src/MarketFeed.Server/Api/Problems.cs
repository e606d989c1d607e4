using MarketFeed.Instruments;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Api;

/// <summary>RFC 9457 problem details for the errors the API returns, each saying what to fix.</summary>
internal static class Problems
{
    public static IResult UnknownSymbol(UnknownSymbolException e, int status = StatusCodes.Status404NotFound) =>
        TypedResults.Problem(
            // The exception's own hint names the CLI; an API client searches through the API.
            detail: e.CloseMatches.Count == 0 ? $"unknown symbol '{e.Symbol}': no instrument matches; search with GET /api/instruments?q=TEXT" : e.Message,
            statusCode: status,
            title: "Unknown symbol",
            extensions: new Dictionary<string, object?> { ["symbol"] = e.Symbol, ["closeMatches"] = e.CloseMatches.Select(i => i.Symbol).ToArray() });

    public static IResult NoOptions(Chains.NoOptionsException e) =>
        TypedResults.Problem(
            detail: e.Message,
            statusCode: StatusCodes.Status404NotFound,
            title: "No options",
            extensions: new Dictionary<string, object?> { ["underlying"] = e.Underlying, ["withOptions"] = e.WithOptions.ToArray() });

    public static IResult UnknownExpiry(Chains.UnknownExpiryException e) =>
        TypedResults.Problem(
            detail: e.Message,
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown expiry",
            extensions: new Dictionary<string, object?>
            {
                ["underlying"] = e.Underlying,
                ["expiries"] = e.Expiries.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            });

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
}
