using System.Globalization;
using System.Text.Json;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Answers a client's JSON control message as Binance does: SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY
/// and GET_PROPERTY (<c>combined</c>). Success is <c>{"result":…,"id":…}</c>; errors go out as Binance's server sends
/// them, <c>{"error":{"code":N,"msg":…},"id":…}</c> (the docs' table shows the inner object only) — code 0 unknown
/// property, 1 not a boolean, 2 invalid request (method, id, params, stream name), 3 invalid JSON, 4 too many
/// subscriptions (more than 1024 streams on the connection).
/// </summary>
internal static class BinanceControlMessages
{
    private const string Methods = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

    public static string Answer(BinanceEmulatorConnection connection, string message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException e)
        {
            return Error(3, $"Invalid JSON: expected value at line {(e.LineNumber ?? 0) + 1} column {(e.BytePositionInLine ?? 0) + 1}", "null");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string column = message.Length.ToString(CultureInfo.InvariantCulture);
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(2, $"Invalid request: invalid type: {root.ValueKind.ToString().ToLowerInvariant()}, expected struct Request at line 1 column {column}", "null");
            }

            if (!root.TryGetProperty("id", out JsonElement idElement) || Id(idElement) is not { } id)
            {
                return Error(2, "Invalid request: request ID must be an unsigned integer", "null");
            }

            if (!root.TryGetProperty("method", out JsonElement method))
            {
                return Error(2, $"Invalid request: missing field `method` at line 1 column {column}", id);
            }

            bool hasParams = root.TryGetProperty("params", out JsonElement parameters);
            return (method.ValueKind == JsonValueKind.String ? method.GetString() : method.GetRawText()) switch
            {
                "SUBSCRIBE" => Subscribe(connection, hasParams ? parameters : default, id),
                "UNSUBSCRIBE" => Unsubscribe(connection, hasParams ? parameters : default, id),
                "LIST_SUBSCRIPTIONS" => Result(JsonSerializer.Serialize(connection.Streams), id),
                "SET_PROPERTY" => SetProperty(connection, hasParams ? parameters : default, id),
                "GET_PROPERTY" => GetProperty(connection, hasParams ? parameters : default, id),
                string other => Error(2, $"Invalid request: unknown variant `{other}`, expected one of {Methods} at line 1 column {column}", id),
                null => Error(2, $"Invalid request: unknown variant `null`, expected one of {Methods} at line 1 column {column}", id),
            };
        }
    }

    /// <summary>The id as it goes back: a 64-bit integer, an alphanumeric string of at most 36 characters, or null; anything else is refused.</summary>
    private static string? Id(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number when id.TryGetInt64(out long n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String when id.GetString() is { Length: <= 36 } text && text.All(char.IsAsciiLetterOrDigit) => BinanceJson.Quote(text),
        _ => null,
    };

    private static string Subscribe(BinanceEmulatorConnection connection, JsonElement parameters, string id)
    {
        if (Streams(parameters) is not { } streams)
        {
            return Error(2, "Invalid request: invalid stream", id);
        }

        return connection.TrySubscribe(streams) ? Result("null", id) : Error(4, "Too many subscriptions", id);
    }

    private static string Unsubscribe(BinanceEmulatorConnection connection, JsonElement parameters, string id)
    {
        if (Streams(parameters) is not { } streams)
        {
            return Error(2, "Invalid request: invalid stream", id);
        }

        connection.Unsubscribe(streams);
        return Result("null", id);
    }

    private static List<string>? Streams(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var streams = new List<string>();
        foreach (JsonElement stream in parameters.EnumerateArray())
        {
            if (stream.ValueKind != JsonValueKind.String || stream.GetString() is not { } name || !BinanceStreamNames.IsValid(name))
            {
                return null;
            }

            streams.Add(name);
        }

        return streams;
    }

    private static string SetProperty(BinanceEmulatorConnection connection, JsonElement parameters, string id)
    {
        if (PropertyError(parameters, 2, id) is { } error)
        {
            return error;
        }

        JsonElement value = parameters[1];
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Error(1, "Invalid value type: expected Boolean", id);
        }

        connection.Combined = value.GetBoolean();
        return Result("null", id);
    }

    private static string GetProperty(BinanceEmulatorConnection connection, JsonElement parameters, string id) =>
        PropertyError(parameters, 1, id) ?? Result(connection.Combined ? "true" : "false", id);

    /// <summary>Checks <c>params</c> is <c>["combined", …]</c> with <paramref name="count"/> items.</summary>
    private static string? PropertyError(JsonElement parameters, int count, string id)
    {
        int length = parameters.ValueKind == JsonValueKind.Array ? parameters.GetArrayLength() : 0;
        if (length > count)
        {
            return Error(2, "Invalid request: too many parameters", id);
        }

        if (length < count || parameters[0].ValueKind != JsonValueKind.String)
        {
            return Error(2, "Invalid request: property name must be a string", id);
        }

        return parameters[0].GetString() == "combined" ? null : Error(0, "Unknown property", id);
    }

    private static string Result(string result, string id) => $"{{\"result\":{result},\"id\":{id}}}";

    private static string Error(int code, string message, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"error\":{{\"code\":{code},\"msg\":{BinanceJson.Quote(message)}}},\"id\":{id}}}");
}
