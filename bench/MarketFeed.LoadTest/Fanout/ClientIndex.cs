namespace MarketFeed.LoadTest.Fanout;

/// <summary>The baseline's clients per instrument, copy-on-write: the fan-out loop reads without locks.</summary>
internal sealed class ClientIndex
{
    private readonly Lock _gate = new();
    private BaselineClient[][] _byInstrument = [];

    public BaselineClient[] For(int instrument)
    {
        BaselineClient[][] table = Volatile.Read(ref _byInstrument);
        return instrument < table.Length ? table[instrument] : [];
    }

    public void Add(BaselineClient client, int[] instruments) => Change(instruments, current => [.. current, client]);

    public void Remove(BaselineClient client, int[] instruments) => Change(instruments, current => [.. current.Where(c => c != client)]);

    private void Change(int[] instruments, Func<BaselineClient[], BaselineClient[]> change)
    {
        lock (_gate)
        {
            BaselineClient[][] table = [.. _byInstrument];
            if (instruments.Length > 0 && instruments.Max() >= table.Length)
            {
                table = [.. table, .. Enumerable.Repeat(Array.Empty<BaselineClient>(), instruments.Max() + 1 - table.Length)];
            }

            foreach (int instrument in instruments.Distinct())
            {
                table[instrument] = change(table[instrument]);
            }

            Volatile.Write(ref _byInstrument, table);
        }
    }
}
