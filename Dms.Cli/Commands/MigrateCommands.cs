using System.CommandLine;
using Dms.Cli.Client;
using Dms.Migrations;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms migrate status|up|down</c>: the migrations runner, against the database as its owner. Not through the API:
/// the API connects as the application role, which cannot change the schema, on purpose.
/// </summary>
public static class MigrateCommands
{
    public static Command Create()
    {
        var to = new Option<string?>("--to") { Description = "Roll back to this migration (0: all of them); default: the last one only." };
        return new Command("migrate", "The database schema: applied and pending migrations, apply, roll back.").With(
            Verb("status", "Applied and pending migrations."),
            Verb("up", "Applies every pending migration."),
            Verb("down", "Rolls back the last migration (or down to --to).", to));
    }

    private static Command Verb(string verb, string description, Option<string?>? to = null)
    {
        var command = new Command(verb, description).With(LocalDatabase.Connection, LocalDatabase.State);
        if (to is not null)
        {
            command.Options.Add(to);
        }

        return command.WithBody(async (parse, _, _) =>
        {
            string[] args = [verb, "--connection", LocalDatabase.ConnectionString(parse), .. to is not null && parse.GetValue(to) is { } target ? ["--to", target] : Array.Empty<string>()];
            var exit = await RunnerCommand.RunAsync(args, Console.Out, Console.Error);
            if (exit != RunnerCommand.Succeeded)
            {
                throw new CliException($"dms migrate {verb} failed (see above).", exit);
            }
        });
    }
}
