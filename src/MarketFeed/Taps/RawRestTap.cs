namespace MarketFeed.Taps;

/// <summary>
/// The one place a venue's REST answers pass through on their way to the feed: a message handler its HTTP client is
/// built on. While a <see cref="Tap"/> is attached, every successful answer is buffered and shown to it with the
/// request's path and query (credential parameters removed), so the journal keeps the REST answers that fed the hub.
/// Without a tap it only passes requests on.
/// </summary>
public sealed class RawRestTap : DelegatingHandler
{
    private static readonly string[] s_secretNames = ["token", "key", "secret", "sign", "password", "auth", "code", "session"];
    private readonly string _feed;
    private readonly TimeProvider _time;

    public RawRestTap(string feed, TimeProvider time, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler())
    {
        _feed = feed;
        _time = time;
    }

    /// <summary>Who sees the answers; null (the default) when nothing records.</summary>
    public IRawFrameTap? Tap { get; set; }

    /// <summary>
    /// The path and query of <paramref name="uri"/> without the query parameters whose names suggest a credential
    /// (token, key, secret, signature, password, auth, code, session): what may be kept in a journal.
    /// </summary>
    public static string Redact(Uri uri)
    {
        string query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return uri.AbsolutePath;
        }

        string[] kept = [.. query.Split('&').Where(p => !IsSecret(p.Split('=')[0]))];
        return kept.Length == 0 ? uri.AbsolutePath : uri.AbsolutePath + "?" + string.Join('&', kept);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (Tap is { } tap && response.IsSuccessStatusCode && request.RequestUri is { } uri)
        {
            // Buffered once here: the caller reads the same bytes from the buffer.
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            tap.OnRestResponse(_feed, Redact(uri), body, _time.GetUtcNow().UtcDateTime);
        }

        return response;
    }

    private static bool IsSecret(string name)
    {
        string decoded = Uri.UnescapeDataString(name);
        return s_secretNames.Any(s => decoded.Contains(s, StringComparison.OrdinalIgnoreCase));
    }
}
