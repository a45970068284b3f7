using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Tools;

/// <summary>
/// Runs a piece of the worker's own code that reads a tenant's file (a .NET parser, libvips) in a child process: the
/// worker's assembly started as <c>Dms.Worker {command} {arguments}</c>, under a hard limit on its heap
/// (<c>DOTNET_GCHeapHardLimit</c> = <see cref="ToolOptions.MaxToolMemoryBytes"/>), the kernel's limits on its address
/// space and processor time (<see cref="ToolBudget.ForDotnetChild"/>) and a timeout. Code that runs away on a crafted
/// file ends that process, never the worker and the other tenants' documents in it. The child's side says how it went
/// by its exit code: 0, <see cref="Unreadable"/> (the reason on standard error) or <see cref="OutOfMemory"/>.
/// </summary>
public sealed class ChildProcess(IOptions<ToolOptions> budgets)
{
    /// <summary>The file is the problem: the child wrote why on standard error.</summary>
    public const int Unreadable = 65;

    /// <summary>The child ran out of its heap, or of stack on a file nested too deeply.</summary>
    public const int OutOfMemory = 66;

    /// <exception cref="TimeoutException">The child ran longer than <paramref name="timeout"/>; it has been killed.</exception>
    public Task<CommandResult> RunAsync(
        string command, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, int maxOutputCharacters = 16 * 1024 * 1024)
    {
        var limits = budgets.Value;
        var inherited = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOTNET_GCHeapHardLimit"] = limits.MaxToolMemoryBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
        };
        return CommandLine.RunAsync(DotnetHost, [typeof(ChildProcess).Assembly.Location, command, .. arguments], inherited, timeout, cancellationToken,
            ToolBudget.ForDotnetChild(limits.MaxToolMemoryBytes, limits.MaxToolCpuTime), maxOutputCharacters);
    }

    /// <summary>The <c>dotnet</c> host of the runtime this process runs on (its folder is three above the runtime's own).</summary>
    private static string DotnetHost { get; } =
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet")) is var host && File.Exists(host) ? host : "dotnet";
}
