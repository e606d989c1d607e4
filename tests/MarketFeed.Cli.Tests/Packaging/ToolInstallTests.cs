using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MarketFeed.Cli.Tests.Packaging;

/// <summary>
/// The README's install: <c>dotnet pack</c> the CLI, <c>dotnet tool install</c> it from the package folder, and the
/// installed <c>marketfeed</c> runs the gateway on the simulator with its dashboard, as <c>dotnet run</c> does.
/// </summary>
public partial class ToolInstallTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Packed_and_installed_as_a_dotnet_tool_it_runs_the_gateway_with_its_dashboard()
    {
        string root = RepositoryRoot();
        DirectoryInfo work = Directory.CreateTempSubdirectory("mf-tool-");
        try
        {
            string packages = Path.Combine(work.FullName, "packages");
            string tools = Path.Combine(work.FullName, "tools");

            // The build is the suite's own (already done); packing again must not rebuild it under running tests.
            await RunAsync("dotnet", $"pack src/MarketFeed.Cli -c {Configuration} --no-build -o \"{packages}\"", root);
            await RunAsync("dotnet", $"tool install MarketFeed.Cli --tool-path \"{tools}\" --add-source \"{packages}\"", root);
            string marketfeed = Path.Combine(tools, "marketfeed");
            Assert.Matches(@"^\d+\.\d+\.\d+", (await RunAsync(marketfeed, "--version", work.FullName)).Trim());

            var start = new ProcessStartInfo(marketfeed, "run --urls http://127.0.0.1:0")
            {
                WorkingDirectory = work.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process gateway = Process.Start(start)!;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                string? banner;
                do
                {
                    banner = await gateway.StandardOutput.ReadLineAsync(timeout.Token);
                }
                while (banner is not null && !banner.Contains("MarketFeed gateway on", StringComparison.Ordinal));

                Assert.NotNull(banner);
                using var http = new HttpClient { BaseAddress = new Uri(Address().Match(banner).Value) };
                Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
                Assert.True((await http.GetByteArrayAsync("/lib/lightweight-charts.js")).Length > 10_000, "the dashboard's chart library is installed with the tool");
                Assert.Contains("\"feed\":\"sim\"", await http.GetStringAsync("/api/status"));
            }
            finally
            {
                gateway.Kill(entireProcessTree: true);
                await gateway.WaitForExitAsync();
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex Address();

    private static string RepositoryRoot()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketFeed.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no MarketFeed.slnx above {AppContext.BaseDirectory}");
    }

    private static async Task<string> RunAsync(string program, string arguments, string directory)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} {arguments} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
