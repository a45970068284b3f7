using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Dms.Cli.Client;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms migrate status|up|down</c>: the migrations runner, against the database as its owner. Not through the API:
/// the API connects as the application role, which cannot change the schema, on purpose. The runner is its own
/// program (the migrations' model is Core's, which the CLI does not load): the build puts it beside <c>dms</c> in
/// <c>migrations/</c>, and this starts it on the same .NET runtime, the connection string in its environment
/// rather than on a command line that other users of the machine can read.
/// </summary>
public static class MigrateCommands
{
    private const string RunnerFolder = "migrations";
    private const string RunnerAssembly = "Dms.Migrations.dll";

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

        return command.WithBody(async (parse, _, cancellationToken) =>
        {
            string[] args = [verb, .. to is not null && parse.GetValue(to) is { } target ? ["--to", target] : Array.Empty<string>()];
            var exit = await RunAsync(args, LocalDatabase.ConnectionString(parse), cancellationToken);
            if (exit != 0)
            {
                throw new CliException($"dms migrate {verb} failed (see above).", exit);
            }
        });
    }

    /// <summary>Runs the migrations runner with its output on the CLI's, and answers its exit code.</summary>
    private static async Task<int> RunAsync(string[] args, string connectionString, CancellationToken cancellationToken)
    {
        var runner = Path.Combine(AppContext.BaseDirectory, RunnerFolder, RunnerAssembly);
        if (!File.Exists(runner))
        {
            throw new CliException($"The migrations runner is missing beside dms ({Path.Combine(RunnerFolder, RunnerAssembly)}): rebuild or reinstall Dms.Cli.");
        }

        var start = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false };
        start.ArgumentList.Add(runner);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__dms"] = connectionString;
        using var process = Process.Start(start) ?? throw new CliException("The migrations runner could not be started.");
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }

    /// <summary>The <c>dotnet</c> host of the runtime this CLI runs on (its shared framework lives three folders below it).</summary>
    private static string DotnetHost()
    {
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        var host = runtime.Parent?.Parent?.Parent is { } root ? Path.Combine(root.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet") : null;
        return host is not null && File.Exists(host) ? host : "dotnet";
    }
}
