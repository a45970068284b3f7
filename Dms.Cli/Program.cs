using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Commands;

namespace Dms.Cli;

/// <summary>
/// <c>dms</c>, the operator's command line: every task of the operations runbook as a command against the API
/// (migrations and backups against the database itself). Tables for people, <c>--json</c> for scripts.
/// Exit codes: 0 done, 1 failed, 2 wrong command line, 3 not signed in, 4 API unreachable.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Dms operator CLI: status, health, tenants, users, documents, types, correspondents, fields, dead letters, search, migrations, backups.")
            .With(
                Global.Api,
                Global.Json,
                LoginCommand.Create(),
                StatusCommands.Status(),
                StatusCommands.Health(),
                TenantCommands.Tenants(),
                UserCommands.Create(),
                DocumentCommands.Create(),
                DescribingCommands.Types(),
                DescribingCommands.Correspondents(),
                DescribingCommands.Fields(),
                DeadLetterCommands.Create(),
                AuditCommands.Create(),
                HoldCommands.Create(),
                GroupCommands.Create(),
                GroupCommands.Permissions(),
                DescribingCommands.Views(),
                ShareCommands.Create(),
                SearchCommands.Create(),
                MigrateCommands.Create(),
                BackupCommands.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("See 'dms --help' (or 'dms COMMAND --help').");
            return ExitCodes.UsageError;
        }

        return await parse.InvokeAsync();
    }
}
