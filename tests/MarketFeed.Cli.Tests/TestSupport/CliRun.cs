using System.Collections.Concurrent;

namespace MarketFeed.Cli.Tests.TestSupport;

/// <summary>Runs <c>marketfeed</c> in-process on the real simulator (sped up) with captured output.</summary>
internal sealed class CliRun
{
    /// <summary>The simulator sped up; no candle store (a test that wants one sets <c>History:Store</c> and its own <c>History:Directory</c>).</summary>
    public static readonly Dictionary<string, string?> FastSimulator = new() { ["Sim:TicksPerInstrumentPerSecond"] = "200", ["History:Store"] = "none" };

    private CliRun(StringWriter? output = null) => Output = output ?? new ConcurrentStringWriter();

    public StringWriter Output { get; }

    public StringWriter Error { get; } = new();

    public int ExitCode { get; private set; }

    public string[] OutputLines => Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public static async Task<CliRun> Run(params string[] args) => await Run(new StringReader(""), args);

    public static Task<CliRun> Run(TextReader input, params string[] args) => Run(input, null, args);

    /// <summary>Runs with a caller-owned output writer, so a test can watch output while the command is still running.</summary>
    public static async Task<CliRun> Run(TextReader input, StringWriter? output, params string[] args) =>
        await RunWith(FastSimulator, input, output, args);

    /// <summary>Runs with other configuration (e.g. a venue pointed at its emulator).</summary>
    public static async Task<CliRun> RunWith(IDictionary<string, string?> configuration, TextReader input, StringWriter? output, params string[] args)
    {
        var run = new CliRun(output);
        var environment = new CliEnvironment(run.Output, run.Error, input) { Overrides = configuration };
        run.ExitCode = await CliApp.RunAsync(args, environment).WaitAsync(TimeSpan.FromSeconds(60));
        return run;
    }
}

/// <summary>A stdin the test types into line by line; ReadLine blocks until a line is typed or input ends.</summary>
internal sealed class TypedInput : TextReader
{
    private readonly BlockingCollection<string?> _lines = [];

    public void Type(string line) => _lines.Add(line);

    public void End() => _lines.Add(null);

    public override string? ReadLine() => _lines.Take();

    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        new(Task.Run(() => _lines.Take(cancellationToken), cancellationToken));
}

/// <summary>A StringWriter that may be read while another thread writes to it.</summary>
internal sealed class ConcurrentStringWriter : StringWriter
{
    private readonly Lock _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, index, count);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }
}
