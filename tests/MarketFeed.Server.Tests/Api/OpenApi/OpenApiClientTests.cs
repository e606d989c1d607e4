using System.Diagnostics;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api.OpenApi;

/// <summary>
/// A typed client generated from the live OpenAPI document (openapi-typescript + openapi-fetch, in tests/openapi-client)
/// compiles under <c>tsc --strict</c> and calls the gateway: subscribe, latest tick, candles, book, status, and an
/// unknown symbol's problem. A field the client reads that the document does not describe fails the compile.
/// </summary>
public class OpenApiClientTests
{
    private static readonly string s_client = Path.Combine(Repository.Root, "tests", "openapi-client");

    [Fact]
    public async Task A_client_generated_from_the_document_compiles_strictly_and_reads_the_live_gateway()
    {
        await using GatewayFixture f = await OpenApiDocumentTests.StartedAsync();
        if (!Directory.Exists(Path.Combine(s_client, "node_modules")))
        {
            await RunAsync("npm", "ci --no-audit --no-fund");
        }

        string generated = Path.Combine(s_client, "generated");
        Directory.CreateDirectory(generated);
        await File.WriteAllTextAsync(Path.Combine(generated, "openapi.json"), await f.Http.GetStringAsync("/openapi/v1.json"));
        await RunAsync("node", "node_modules/openapi-typescript/bin/cli.js generated/openapi.json -o generated/api.d.ts");
        await RunAsync("node", "node_modules/typescript/bin/tsc -p .");
        string output = await RunAsync("node", $"generated/out/client.js {f.Gateway.Address.ToString().TrimEnd('/')}");

        JsonElement read = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Contains("NSE:INFY", read.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("NSE:RELIANCE", read.GetProperty("symbol").GetString());
        Assert.True(read.GetProperty("ltp").GetDecimal() > 0);
        Assert.True(read.GetProperty("seq").GetInt64() > 0);
        Assert.Equal(5, read.GetProperty("depthLevels").GetInt32());
        Assert.True(read.GetProperty("candles").GetInt32() >= 1);
        Assert.True(read.GetProperty("forming").GetBoolean());
        Assert.True(read.GetProperty("bestBid").GetDecimal() > 0);
        Assert.Equal("connected", read.GetProperty("feedState").GetString());
        Assert.Equal(404, read.GetProperty("status").GetInt32());
        Assert.Contains("did you mean NSE:RELIANCE", read.GetProperty("detail").GetString());
        Assert.Equal(["NSE:RELIANCE"], read.GetProperty("closeMatches").EnumerateArray().Select(s => s.GetString()).Take(1));
    }

    private static async Task<string> RunAsync(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = s_client,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} {arguments} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
