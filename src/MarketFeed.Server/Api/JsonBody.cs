using System.Text.Json;
using MarketFeed.Serialization;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Api;

/// <summary>An <see cref="IResult"/> that writes JSON with the shared writers straight into the response body.</summary>
internal sealed class JsonBody(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, JsonValues.WriterOptions))
        {
            write(writer);
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
