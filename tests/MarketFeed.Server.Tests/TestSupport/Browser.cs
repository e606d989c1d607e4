using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser); installed by scripts/test.sh.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] extraArguments)
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
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. extraArguments],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// What the page's Content-Security-Policy refuses from now on (console errors and securitypolicyviolation events),
    /// for a test to assert empty: a refused script or style is a part of the dashboard that silently does not work.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> WatchPolicyViolationsAsync(IPage page)
    {
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Enqueue(message.Text);
            }
        };
        await page.ExposeFunctionAsync("marketfeedPolicyViolation", (string text) => violations.Enqueue(text));
        await page.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.marketfeedPolicyViolation(`${e.violatedDirective} refused ${e.blockedURI}`));");
        return violations;
    }

    /// <summary>artifacts/ at the repository root (gitignored), where screenshots are kept for people to look at.</summary>
    public static string ArtifactPath(string fileName)
    {
        string artifacts = Path.Combine(Repository.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        return Path.Combine(artifacts, fileName);
    }
}
