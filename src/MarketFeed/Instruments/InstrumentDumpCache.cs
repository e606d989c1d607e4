using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MarketFeed.Instruments;

/// <summary>
/// A venue's instrument dump cached on disk for one day and one source. The file name carries the day and a digest of
/// the source (base URL, and the account where the dump depends on it), so a dump downloaded from an emulator, a
/// testnet or another account is never loaded for a different configuration: a wrong token is a wrong instrument.
/// The digest keeps the account out of the file name.
/// </summary>
public static class InstrumentDumpCache
{
    /// <summary>The cache folder when a venue's options name none: a marketfeed folder in the temp directory.</summary>
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "marketfeed");

    /// <summary>The file for <paramref name="name"/> (e.g. <c>kite-instruments</c>) from <paramref name="source"/> on <paramref name="day"/>.</summary>
    public static string PathFor(string? directory, string name, string extension, string source, DateOnly day)
    {
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.TrimEnd('/'))))[..16];
        return Path.Combine(directory ?? DefaultDirectory, $"{name}-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{digest}.{extension}");
    }

    /// <summary>
    /// The cached file for (source, day), downloading it first when absent. <paramref name="validate"/> throws on a
    /// download that is not a dump (an error page), which is then never cached. The file appears whole or not at all.
    /// </summary>
    public static async Task<string> GetOrDownloadAsync(
        string? directory, string name, string extension, string source, DateOnly day,
        Func<CancellationToken, Task<byte[]>> download, Action<byte[]>? validate, CancellationToken cancellationToken)
    {
        string path = PathFor(directory, name, extension, source, day);
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] content = await download(cancellationToken).ConfigureAwait(false);
        validate?.Invoke(content);
        string partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
        await File.WriteAllBytesAsync(partial, content, cancellationToken).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
