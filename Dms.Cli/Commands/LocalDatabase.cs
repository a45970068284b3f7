using System.CommandLine;
using Dms.Cli.Client;

namespace Dms.Cli.Commands;

/// <summary>
/// The commands that work on the database itself (migrations, backups) connect as the schema's owner, which the API
/// never does: from <c>--connection</c>, else <c>ConnectionStrings__dms</c>, else the embedded profile's state folder
/// (<c>--state</c>, default <c>DMS_STATE</c> or <c>.dms-state</c>), where <c>./dms.sh run</c> writes the owner's connection string.
/// </summary>
public static class LocalDatabase
{
    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "The database as its owner (default: ConnectionStrings__dms, else the state folder's connection-string).",
    };

    public static readonly Option<string> State = new("--state")
    {
        Description = "The embedded profile's state folder (default: DMS_STATE, else .dms-state).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DMS_STATE") is { Length: > 0 } state ? state : ".dms-state",
    };

    public static string ConnectionString(ParseResult parse)
    {
        if ((parse.GetValue(Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__dms")) is { Length: > 0 } given)
        {
            return given;
        }

        var file = Path.Combine(parse.GetValue(State)!, "postgres", "connection-string");
        return File.Exists(file)
            ? File.ReadAllText(file).Trim()
            : throw new CliException($"No database named: pass --connection, set ConnectionStrings__dms, or run this where {file} is (./dms.sh run writes it).", ExitCodes.UsageError);
    }
}
