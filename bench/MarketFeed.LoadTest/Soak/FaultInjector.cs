namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// Plays the expanded schedule against the emulator's control endpoints: <c>POST /_emulator/faults?spec=…</c> to turn
/// faults on and (with their <c>-</c> form) off, <c>POST /_emulator/drop</c> for <c>drop</c>. Times are run time.
/// </summary>
internal sealed class FaultInjector(HttpClient emulator, IReadOnlyList<FaultStep> steps, Func<TimeSpan> elapsed, TimeProvider time)
{
    private readonly FaultWindow[] _windows = [.. steps.Select(s => new FaultWindow(s))];
    private readonly Lock _gate = new();

    public IReadOnlyList<FaultWindow> Windows => _windows;

    public string[] ActiveAt(TimeSpan at)
    {
        lock (_gate)
        {
            return [.. _windows.Where(w => w.IsActive(at)).Select(w => w.Step.Spec)];
        }
    }

    /// <summary>Runs <paramref name="action"/> on the windows while the injector cannot change them.</summary>
    public void Inspect(Action<IReadOnlyList<FaultWindow>> action)
    {
        lock (_gate)
        {
            action(_windows);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var events = _windows
            .SelectMany(w => w.Step.Duration > TimeSpan.Zero
                ? new[] { (At: w.Step.Offset, On: true, Window: w), (At: w.Step.End, On: false, Window: w) }
                : [(At: w.Step.Offset, On: true, Window: w)])
            .OrderBy(e => e.At).ThenBy(e => e.On) // at the same time, what ends goes before what starts
            .ToList();
        try
        {
            foreach ((TimeSpan at, bool on, FaultWindow window) in events)
            {
                TimeSpan wait = at - elapsed();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stop);
                }

                string? error = on ? await SwitchOnAsync(window.Step, stop) : await SwitchOffAsync(window.Step, stop);
                lock (_gate)
                {
                    if (on)
                    {
                        window.Started = elapsed();
                        window.Ended = window.Step.Duration > TimeSpan.Zero ? null : window.Started;
                    }
                    else
                    {
                        window.Ended = elapsed();
                    }

                    window.Error ??= error;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<string?> SwitchOnAsync(FaultStep step, CancellationToken stop)
    {
        string[] states = [.. step.Spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p != FaultSchedule.Drop)];

        // States first, so the sockets the drop aborts already reconnect into the fault (a refused or rejected upgrade).
        string? error = states.Length > 0 ? await PostAsync("/_emulator/faults?spec=" + Uri.EscapeDataString(string.Join(',', states)), stop) : null;
        if (step.Drops)
        {
            error ??= await PostAsync("/_emulator/drop", stop);
        }

        return error;
    }

    private async Task<string?> SwitchOffAsync(FaultStep step, CancellationToken stop)
    {
        string[] off = [.. step.States.Select(s => "-" + s)];
        return off.Length > 0
            ? await PostAsync("/_emulator/faults?spec=" + Uri.EscapeDataString(string.Join(',', off)), stop)
            : null;
    }

    private async Task<string?> PostAsync(string pathAndQuery, CancellationToken stop)
    {
        try
        {
            using HttpResponseMessage response = await emulator.PostAsync(pathAndQuery, null, stop);
            return response.IsSuccessStatusCode ? null : $"POST {pathAndQuery} answered HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"POST {pathAndQuery} failed: {e.Message}";
        }
    }
}
