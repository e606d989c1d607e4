using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Api;

/// <summary>
/// Gives every problem response a <c>detail</c> saying what to fix, including the ones the framework writes itself:
/// a body that is not JSON or not the expected shape, a query value that is not a number, a missing Content-Type, an
/// oversized body, an unknown path or method. An unexpected server error says only that (never its exception text).
/// </summary>
internal static partial class ProblemDetail
{
    public static void Fill(ProblemDetailsContext context)
    {
        context.ProblemDetails.Detail ??= For(context.HttpContext, context.Exception, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
    }

    /// <summary>The status for an exception that escaped an endpoint: a bad request keeps its own (400, 413, 415), anything else is 500.</summary>
    public static int StatusOf(Exception exception) => exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    private static string For(HttpContext http, Exception? exception, int status)
    {
        HttpRequest request = http.Request;
        string endpoint = $"{request.Method} {request.Path}";
        if (FindJsonError(exception) is { } json)
        {
            return $"the request body is not the JSON {endpoint} expects ({json.Message.Split(" Path:")[0].Replace("System.", "", StringComparison.Ordinal)}"
                + (json.Path is { } path ? $" at {path}" : "") + "); see /openapi/v1.json for its shape";
        }

        return status switch
        {
            StatusCodes.Status400BadRequest when exception?.Message is { } message && BindFailure().Match(message) is { Success: true } bind =>
                $"{bind.Groups["name"].Value} \"{bind.Groups["value"].Value}\" is not {Expected(bind.Groups["type"].Value)}; see /openapi/v1.json for {endpoint}",
            StatusCodes.Status400BadRequest when exception?.Message is { } message && message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) =>
                $"a query or route value of {endpoint} is not valid; see /openapi/v1.json",
            StatusCodes.Status400BadRequest when exception?.Message is { } message && message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                $"{endpoint} needs a JSON body; see /openapi/v1.json for its shape",
            StatusCodes.Status400BadRequest => $"the request to {endpoint} is malformed; see /openapi/v1.json",
            StatusCodes.Status404NotFound => $"there is no {endpoint}; the API is described at /openapi/v1.json",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}; see /openapi/v1.json",
            StatusCodes.Status413PayloadTooLarge => $"the request body is too large: at most {http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0} bytes",
            StatusCodes.Status415UnsupportedMediaType => $"send the body of {endpoint} as JSON with the header Content-Type: application/json",
            >= 500 => "the gateway failed to handle this request; the error is in its log",
            _ => $"{endpoint} cannot be served as sent ({status})",
        };
    }

    /// <summary>The framework's words for a value it could not convert: <c>Failed to bind parameter "Nullable&lt;int&gt; count" from "abc".</c></summary>
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*?)\s?(?<name>\w+)" from "(?<value>[^"]*)"\.?$""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    private static string Expected(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
    {
        "int" or "long" or "short" => "a whole number",
        "double" or "decimal" or "float" => "a number",
        "bool" => "true or false",
        "DateTime" or "DateTimeOffset" or "DateOnly" => "a date (ISO 8601)",
        var other => $"a valid {other}",
    };

    private static JsonException? FindJsonError(Exception? exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }
}
