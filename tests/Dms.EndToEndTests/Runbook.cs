using System.Text.RegularExpressions;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// docs/runbook.md as the test runs it: its <c>bash</c> blocks in order, each named by the <c>&lt;!-- test: NAME --&gt;</c>
/// comment above it, run by bash with <c>dms</c> on the PATH. Variables a block assigns are kept for the blocks after it,
/// as they would be in the operator's shell.
/// </summary>
public sealed partial class Runbook : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("dms-runbook-");
    private readonly Dictionary<string, string> _environment;

    public Runbook(IReadOnlyDictionary<string, string> environment)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_work.FullName, "bin"));
        var dms = Path.Combine(bin.FullName, "dms");
        File.WriteAllText(dms, $"#!/bin/sh\nexec dotnet '{CliAssembly}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dms, File.GetUnixFileMode(dms) | UnixFileMode.UserExecute);
        }
        _environment = new Dictionary<string, string>(environment)
        {
            ["PATH"] = $"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}",
            ["DMS_SESSION"] = Path.Combine(_work.FullName, "session.json"),
        };
        File.WriteAllText(VariablesFile, "");
    }

    public sealed record Block(string Name, string Script);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The dms the tests were built with (the end-to-end project builds Dms.Cli in the same configuration).</summary>
    public static string CliAssembly { get; } = Path.Combine(
        RepositoryRoot, "Dms.Cli", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "dms.dll");

    public string WorkDirectory => _work.FullName;

    private string VariablesFile => Path.Combine(_work.FullName, "variables.sh");

    private string ValueFile(string name) => Path.Combine(_work.FullName, $"{name}.value");

    /// <summary>Every bash block of the runbook; one without a name, or any block in an unknown language, fails the read.</summary>
    public static IReadOnlyList<Block> Read()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "runbook.md"));
        var fences = Fence().Matches(text);
        var unknown = fences.Select(f => f.Groups["language"].Value).Where(l => l is not ("bash" or "shell")).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"The runbook has code blocks that are neither bash (tested) nor shell (AWS): {string.Join(", ", unknown)}");
        }

        var blocks = NamedBlock().Matches(text).Select(m => new Block(m.Groups["name"].Value, m.Groups["script"].Value)).ToList();
        var bash = fences.Count(f => f.Groups["language"].Value == "bash");
        return blocks.Count == bash ? blocks : throw new InvalidOperationException($"{bash - blocks.Count} bash blocks of the runbook have no '<!-- test: NAME -->' above them.");
    }

    /// <summary>The <c>dms</c> commands (first two words) the runbook mentions in its prose.</summary>
    public static IReadOnlyList<string> InlineCommands() =>
        InlineCommand().Matches(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "runbook.md"))).Select(m => m.Groups["command"].Value).Distinct().ToList();

    /// <summary>Sets a variable for the blocks that follow, as the operator would have it in their shell.</summary>
    public void Set(string name, string value)
    {
        File.AppendAllText(VariablesFile, $"{name}='{value}'\n");
        File.WriteAllText(ValueFile(name), value);
    }

    /// <summary>A variable a block assigned, as the shell holds it.</summary>
    public string Get(string name) => File.Exists(ValueFile(name)) ? File.ReadAllText(ValueFile(name)) : "";

    /// <param name="onOutputLine">Called with each line the block prints, as it prints it.</param>
    public async Task<ProcessResult> RunAsync(Block block, Action<string>? onOutputLine = null)
    {
        var assigned = Assignment().Matches(block.Script).Select(m => m.Groups["name"].Value).Distinct();
        var script = $"""
            set -euo pipefail
            source '{VariablesFile}'
            {block.Script}
            {string.Concat(assigned.Select(name => $"printf '%s=%q\\n' {name} \"${name}\" >> '{VariablesFile}'; printf '%s' \"${name}\" > '{ValueFile(name)}'\n"))}
            """;
        var file = Path.Combine(_work.FullName, $"{block.Name}.sh");
        await File.WriteAllTextAsync(file, script);
        return await ProcessRunner.RunAsync("bash", [file], _environment, TimeSpan.FromMinutes(3), _work.FullName, onOutputLine);
    }

    /// <summary>Runs one dms command outside the runbook (the harness's own checks), with its own session file.</summary>
    public Task<ProcessResult> DmsAsync(string session, string[] arguments, Action<string>? onOutputLine = null) =>
        ProcessRunner.RunAsync("dotnet", [CliAssembly, .. arguments],
            new Dictionary<string, string>(_environment) { ["DMS_SESSION"] = Path.Combine(_work.FullName, session) }, TimeSpan.FromMinutes(1), _work.FullName, onOutputLine);

    public void Dispose() => _work.Delete(recursive: true);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dms.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository (Dms.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"^```(?<language>\w*)\n.*?^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"<!-- test: (?<name>[a-z-]+) -->\n```bash\n(?<script>.*?)```", RegexOptions.Singleline)]
    private static partial Regex NamedBlock();

    [GeneratedRegex(@"`(?<command>dms [a-z]+(?: [a-z]+)?)\b[^`]*`")]
    private static partial Regex InlineCommand();

    [GeneratedRegex(@"^(?<name>[A-Z_][A-Z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
