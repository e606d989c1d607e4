using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli;

/// <summary>
/// appsettings.json beside the binary, then in the working directory, then <c>MARKETFEED_</c> environment variables
/// (<c>MARKETFEED_Sim__Seed=7</c>), then overrides: the usual .NET precedence, later wins.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Build(CliEnvironment environment, out IReadOnlyList<string> sources)
    {
        var found = new List<string>();
        var builder = new ConfigurationBuilder();
        foreach (string directory in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }.Distinct())
        {
            string path = Path.Combine(directory, "appsettings.json");
            if (File.Exists(path))
            {
                builder.AddJsonFile(path, optional: true, reloadOnChange: false);
                found.Add(path);
            }
        }

        builder.AddEnvironmentVariables("MARKETFEED_");
        builder.AddInMemoryCollection(environment.Overrides);
        sources = found;
        return builder.Build();
    }
}
