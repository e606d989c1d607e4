namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>Where the repository's files are when tests run from their build output.</summary>
internal static class Repository
{
    /// <summary>The folder holding MarketFeed.slnx, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketFeed.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no MarketFeed.slnx above {AppContext.BaseDirectory}");
    }
}
