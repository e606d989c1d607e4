using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarketFeed.Server.Api;

/// <summary>
/// Describes the gateway's problem details as served: <c>detail</c> always says what to fix, and a problem may carry
/// the extension members it serves (an unknown symbol's <c>symbol</c> and <c>closeMatches</c>, an option chain's <c>underlying</c>, <c>expiries</c> and
/// <c>withOptions</c>, a <c>traceId</c>).
/// </summary>
internal static class ProblemSchema
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Correlates the answer with the gateway's log." };
            schema.Properties["symbol"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The symbol that is not known (unknown-symbol problems)." };
            schema.Properties["closeMatches"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "Known symbols close to the unknown one, best first (unknown-symbol problems).",
            };
            schema.Properties["underlying"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The underlying asked for (option-chain problems)." };
            schema.Properties["expiries"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "The expiries listed for the underlying, yyyy-MM-dd, soonest first (unknown-expiry problems).",
            };
            schema.Properties["withOptions"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "The underlyings that have options (problems for an underlying without).",
            };
            schema.Required ??= new HashSet<string>();
            schema.Required.Add("title");
            schema.Required.Add("status");
            schema.Required.Add("detail");
            schema.Description = "RFC 9457 problem details; detail says what to fix.";
        }

        return Task.CompletedTask;
    }
}
