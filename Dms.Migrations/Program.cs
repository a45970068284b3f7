using Dms.Migrations;

// The migrations runner: `up` (default, what the AppHost runs), `down [--to NAME]`, `status`, `create NAME`.
// Exit codes: 0 done, 1 failed, 2 the command line was wrong.
return await RunnerCommand.RunAsync(args, Console.Out, Console.Error);
