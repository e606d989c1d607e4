using MarketFeed.Cli;

return await CliApp.RunAsync(args, new CliEnvironment(Console.Out, Console.Error, Console.In));
