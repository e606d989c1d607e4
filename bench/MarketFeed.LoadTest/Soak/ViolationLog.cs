namespace MarketFeed.LoadTest.Soak;

/// <summary>The first few violations of each kind, word for word, for the report (the counters hold the totals).</summary>
internal sealed class ViolationLog
{
    private const int KeptPerKind = 5;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _examples = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Examples
    {
        get
        {
            lock (_gate)
            {
                return [.. _examples.Values.SelectMany(e => e)];
            }
        }
    }

    public string? FirstOf(string kind)
    {
        lock (_gate)
        {
            return _examples.TryGetValue(kind, out List<string>? examples) ? examples[0] : null;
        }
    }

    public void Add(string kind, string description)
    {
        lock (_gate)
        {
            if (!_examples.TryGetValue(kind, out List<string>? examples))
            {
                _examples[kind] = examples = [];
            }

            if (examples.Count < KeptPerKind)
            {
                examples.Add(description);
            }
        }
    }
}
