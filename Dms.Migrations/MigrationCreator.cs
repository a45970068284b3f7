using System.Diagnostics;

namespace Dms.Migrations;

/// <summary>Adds a migration to this project through the dotnet-ef version pinned in the repository's tool manifest.</summary>
public static class MigrationCreator
{
    public static async Task<int> CreateAsync(string name, TextWriter output, TextWriter error)
    {
        var projectDirectory = FindProjectDirectory();
        if (projectDirectory is null)
        {
            error.WriteLine("'create' runs from a source checkout: Dms.Migrations.csproj was not found above this program.");
            return RunnerCommand.Failed;
        }

        var restore = await RunAsync(projectDirectory, output, "tool", "restore");
        if (restore != 0)
        {
            error.WriteLine("'dotnet tool restore' failed: the pinned dotnet-ef is not available.");
            return RunnerCommand.Failed;
        }

        var exitCode = await RunAsync(projectDirectory, output,
            "tool", "run", "dotnet-ef", "migrations", "add", name, "--project", projectDirectory, "--output-dir", "Migrations");
        if (exitCode != 0)
        {
            error.WriteLine($"dotnet-ef could not add migration '{name}' (exit {exitCode}).");
            return RunnerCommand.Failed;
        }

        output.WriteLine($"Created migration {name} in {Path.Combine(projectDirectory, "Migrations")}.");
        return RunnerCommand.Succeeded;
    }

    private static string? FindProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dms.Migrations.csproj")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static async Task<int> RunAsync(string workingDirectory, TextWriter output, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        output.Write(await process.StandardOutput.ReadToEndAsync());
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
