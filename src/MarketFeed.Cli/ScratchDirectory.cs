namespace MarketFeed.Cli;

/// <summary>A fresh temporary directory (e.g. an instrument cache that must not be shared), deleted with what it holds on dispose.</summary>
internal sealed class ScratchDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the operating system's temporary-file cleanup takes it later.
        }
    }
}
