using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser); installed by scripts/test.sh.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./scripts/test.sh, which installs Debian's chromium");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>artifacts/ at the repository root (gitignored), where screenshots are kept for people to look at.</summary>
    public static string ArtifactPath(string fileName)
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketFeed.slnx")))
        {
            directory = directory.Parent;
        }

        string artifacts = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        return Path.Combine(artifacts, fileName);
    }
}
