using System.Text.Json;

namespace MarketFeed.Server.Tests.Api.OpenApi;

/// <summary>
/// Checks a JSON value against a schema of the gateway's OpenAPI 3.1 document, strictly: every property the value has
/// must be described (so a field added to a writer but not to the document fails), every required one present, and
/// every type as declared (<c>$ref</c>, <c>type</c> as a string or a list with <c>null</c>, objects, arrays).
/// </summary>
internal sealed class OpenApiSchemaChecker(JsonElement document)
{
    private readonly JsonElement _schemas = document.GetProperty("components").GetProperty("schemas");

    /// <summary>The schema of the response <paramref name="status"/> of <paramref name="method"/> <paramref name="path"/> (a template like <c>/api/ticks/{symbol}/latest</c>).</summary>
    public JsonElement ResponseSchema(string path, string method, int status, string contentType = "application/json")
    {
        JsonElement operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out JsonElement response))
        {
            throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} answered {status}, which its OpenAPI operation does not describe");
        }

        return response.GetProperty("content").GetProperty(contentType).GetProperty("schema");
    }

    /// <summary>Every mismatch between <paramref name="value"/> and <paramref name="schema"/>, with its JSON path.</summary>
    public List<string> Check(JsonElement value, JsonElement schema, string at = "$")
    {
        var problems = new List<string>();
        Check(value, schema, at, problems);
        return problems;
    }

    private void Check(JsonElement value, JsonElement schema, string at, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            string name = reference.GetString()!["#/components/schemas/".Length..];
            Check(value, _schemas.GetProperty(name), at, problems);
            return;
        }

        string[] types = schema.TryGetProperty("type", out JsonElement type)
            ? type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!]
            : [];
        if (types.Length == 0)
        {
            return; // an unconstrained schema (e.g. a problem's extension member)
        }

        string actual = Kind(value);
        if (!types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
        {
            problems.Add($"{at}: {actual} where the document says {string.Join(" or ", types)}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            JsonElement properties = schema.TryGetProperty("properties", out JsonElement p) ? p : default;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                {
                    Check(property.Value, propertySchema, $"{at}.{property.Name}", problems);
                }
                else if (!AllowsMore(schema))
                {
                    problems.Add($"{at}.{property.Name}: served but not in the document");
                }
            }

            if (schema.TryGetProperty("required", out JsonElement required))
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                    {
                        problems.Add($"{at}.{name.GetString()}: required by the document but not served");
                    }
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int index = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                Check(item, items, $"{at}[{index++}]", problems);
            }
        }
    }

    private static bool AllowsMore(JsonElement schema) =>
        schema.TryGetProperty("additionalProperties", out JsonElement more) && more.ValueKind != JsonValueKind.False;

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
