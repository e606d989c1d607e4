using System.Text;

namespace MarketFeed.Emulators.Replay;

/// <summary>
/// The REST answers of a raw recording, handed out again by request: the answers recorded for the same path and
/// query first, in recorded order, else those for the same path (queries with times in them differ between runs);
/// once a request's answers are used up, the last is repeated. A path matches when one ends with the other at a
/// segment boundary, so a base URL with a prefix (<c>/v2</c>) on one side still finds its answers. Addresses of the
/// recorded stream endpoints inside a body (a stream authorization naming the socket URL) are rewritten to the
/// replay server, so the feed connects to the replay.
/// </summary>
public sealed class RecordedRestAnswers
{
    private readonly List<(string Path, string Query, byte[] Body)> _answers = [];
    private readonly Dictionary<string, int> _served = [];
    private readonly Lock _lock = new();
    private (byte[] From, byte[] To)[] _rewrites = [];

    public int Count => _answers.Count;

    public void Add(string request, byte[] body)
    {
        int question = request.IndexOf('?', StringComparison.Ordinal);
        _answers.Add(question < 0 ? (request, "", body) : (request[..question], request[(question + 1)..], body));
    }

    /// <summary>Rewrites each of <paramref name="origins"/> (<c>wss://host:port</c> of a recorded stream endpoint) in bodies to <paramref name="replacement"/>.</summary>
    public void RewriteOrigins(IEnumerable<string> origins, string replacement) =>
        _rewrites = [.. origins.Distinct(StringComparer.Ordinal).Select(o => (Encoding.UTF8.GetBytes(o), Encoding.UTF8.GetBytes(replacement)))];

    /// <summary>The answer for a request of <paramref name="path"/> with <paramref name="query"/> (no leading <c>?</c>), or null when none was recorded.</summary>
    public byte[]? Answer(string path, string query)
    {
        lock (_lock)
        {
            int[] samePath = [.. Enumerable.Range(0, _answers.Count).Where(i => PathsMatch(_answers[i].Path, path))];
            int[] exact = [.. samePath.Where(i => _answers[i].Query == query)];
            int[] pick = exact.Length > 0 ? exact : samePath;
            if (pick.Length == 0)
            {
                return null;
            }

            string key = (exact.Length > 0 ? "=" : "~") + path + "?" + (exact.Length > 0 ? query : "");
            int served = _served.GetValueOrDefault(key);
            _served[key] = served + 1;
            return Rewrite(_answers[pick[Math.Min(served, pick.Length - 1)]].Body);
        }
    }

    private static bool PathsMatch(string recorded, string requested)
    {
        if (recorded == requested)
        {
            return true;
        }

        (string longer, string shorter) = recorded.Length > requested.Length ? (recorded, requested) : (requested, recorded);
        return shorter.Length > 1 && shorter[0] == '/' && longer.EndsWith(shorter, StringComparison.Ordinal);
    }

    private byte[] Rewrite(byte[] body)
    {
        foreach ((byte[] from, byte[] to) in _rewrites)
        {
            int at = body.AsSpan().IndexOf(from);
            if (at < 0)
            {
                continue;
            }

            using var rewritten = new MemoryStream(body.Length);
            ReadOnlySpan<byte> rest = body;
            while ((at = rest.IndexOf(from)) >= 0)
            {
                rewritten.Write(rest[..at]);
                rewritten.Write(to);
                rest = rest[(at + from.Length)..];
            }

            rewritten.Write(rest);
            body = rewritten.ToArray();
        }

        return body;
    }
}
