using MarketFeed.Venues;
using System.CommandLine;
using MarketFeed.Emulators;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed emulate VENUE [--port N] [--faults SPEC] [--rate R]</c>: a venue stand-in speaking its real protocol on 127.0.0.1.</summary>
internal static class EmulateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var venue = new Argument<string>("venue") { Description = "Venue to emulate: " + string.Join(", ", KnownVenues.Names) };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default 5081)", DefaultValueFactory = _ => 5081 };
        var faults = new Option<string?>("--faults") { Description = "Faults from the start: auth, silent, malformed, refuse, restdown, oddtext, absurd, timejump=SECONDS, oversized=BYTES, ratelimit=N, revise=N, fuzz=SEED with fuzzrate=N, fuzzcount=N, fuzzsize=BYTES, fuzzkinds=K+K, fuzztarget=KEY (change at run time: POST /_emulator/faults?spec=…, POST /_emulator/drop)" };
        var rate = new Option<double>("--rate") { Description = "Ticks per second per subscribed instrument (default 1, like the venue)", DefaultValueFactory = _ => 1 };
        var command = new Command("emulate", "Run a venue emulator speaking that venue's real wire protocol") { venue, port, faults, rate };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(venue)!, new EmulatorSettings(parse.GetValue(port), parse.GetValue(faults), parse.GetValue(rate)), token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string venue, EmulatorSettings settings, CancellationToken token)
    {
        Task<IVenueEmulator> starting = KnownVenues.Find(venue)?.StartEmulatorAsync(settings, token)
            ?? throw new UsageException($"no emulator for '{venue}': available emulators are {string.Join(", ", KnownVenues.Names)}");
        IVenueEmulator emulator;
        try
        {
            emulator = await starting;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        await using (emulator)
        {
            foreach (string line in emulator.Describe())
            {
                await environment.Output.WriteLineAsync(line);
            }

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
