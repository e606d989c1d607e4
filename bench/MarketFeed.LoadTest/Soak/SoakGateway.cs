using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// The gateway under soak: <c>marketfeed run --feed kite</c> in a process of its own (this program started with
/// <c>gateway</c>, which hands the rest of its arguments to the real CLI), pointed at the emulator through the same
/// <c>MARKETFEED_Kite__…</c> variables a user would set. Its output goes to a log file beside the samples.
/// </summary>
internal sealed class SoakGateway : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    private SoakGateway(Process process, StreamWriter log, int port)
    {
        _process = process;
        _log = log;
        Address = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static SoakGateway Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> symbols, string logPath)
    {
        int port = FreePort();
        ProcessStartInfo start = SelfStartInfo("gateway", "run", "--feed", "kite", "--urls", $"http://127.0.0.1:{port}", "--symbols", string.Join(',', symbols));
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        return new SoakGateway(Process.Start(start)!, log, port);
    }

    /// <summary>Resident set size from <c>/proc/PID/status</c> (VmRSS), in MiB; NaN where there is no procfs or the process is gone.</summary>
    public double ResidentMegabytes()
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    /// <summary>This program again: its apphost when there is one beside the assembly, else the dotnet host with the assembly.</summary>
    private static ProcessStartInfo SelfStartInfo(params string[] arguments)
    {
        string assembly = typeof(SoakGateway).Assembly.Location;
        string appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (File.Exists(appHost))
        {
            start.FileName = appHost;
        }
        else
        {
            start.FileName = DotnetHost();
            start.ArgumentList.Add(assembly);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
