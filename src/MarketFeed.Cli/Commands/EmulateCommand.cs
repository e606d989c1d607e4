using System.CommandLine;
using MarketFeed.Emulators.Venues.Kite;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed emulate VENUE [--port N] [--faults SPEC] [--rate R]</c>: a venue stand-in speaking its real protocol on 127.0.0.1.</summary>
internal static class EmulateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var venue = new Argument<string>("venue") { Description = "Venue to emulate: kite" };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default 5081)", DefaultValueFactory = _ => 5081 };
        var faults = new Option<string?>("--faults") { Description = "Faults from the start: auth, silent, malformed, refuse, ratelimit=N (change at run time: POST /_emulator/faults?spec=…, POST /_emulator/drop)" };
        var rate = new Option<double>("--rate") { Description = "Ticks per second per subscribed instrument (default 1, like Kite)", DefaultValueFactory = _ => 1 };
        var command = new Command("emulate", "Run a venue emulator speaking that venue's real wire protocol") { venue, port, faults, rate };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(venue)!, parse.GetValue(port), parse.GetValue(faults), parse.GetValue(rate), token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string venue, int port, string? faults, double rate, CancellationToken token)
    {
        if (!venue.Equals("kite", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"no emulator for '{venue}': available emulators are kite");
        }

        var options = new KiteEmulatorOptions { Port = port, Faults = faults, TicksPerInstrumentPerSecond = rate };
        KiteEmulator emulator;
        try
        {
            emulator = await KiteEmulator.StartAsync(options, token);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        await using (emulator)
        {
            await environment.Output.WriteLineAsync($"Kite emulator on {emulator.RestUrl} (faults: {emulator.Faults}). Point MarketFeed at it:");
            await environment.Output.WriteLineAsync($"  MARKETFEED_Kite__StreamUrl={emulator.StreamUrl} MARKETFEED_Kite__RestUrl={emulator.RestUrl.ToString().TrimEnd('/')} MARKETFEED_Kite__ApiKey={options.ApiKey} MARKETFEED_Kite__AccessToken={options.AccessToken}");
            await environment.Output.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }
}
