using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Dms.Worker.Tools;

/// <summary>What a finished program printed and returned.</summary>
/// <param name="OutputCut">It printed more than it was allowed to: the output stops there and the program was stopped.</param>
public sealed record CommandResult(int ExitCode, string Output, string Error, bool OutputCut = false)
{
    /// <summary>The operating system stopped it (an exit code of 128 plus a signal): a memory or CPU limit, or a crash.</summary>
    public bool Signalled => ExitCode > 128 && !OutputCut;

    /// <summary>The first line the program wrote to standard error: its reason, in a failure's message.</summary>
    public string FirstErrorLine => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";
}

/// <summary>
/// What one run of a tool may use, enforced by the kernel (<c>prlimit</c>): its address space and its CPU time. A
/// tool fed a bomb is stopped by the operating system, never the worker.
/// </summary>
/// <param name="MemoryBytes">The most address space the tool may map.</param>
public sealed record ToolBudget(long MemoryBytes, TimeSpan CpuTime)
{
    /// <summary>
    /// A .NET child process (the reader, the image previewer) whose heap <c>DOTNET_GCHeapHardLimit</c> caps at
    /// <paramref name="heapBytes"/>: the kernel caps its address space at twice that plus 2 GiB. Under an address-space
    /// limit the runtime reserves half of it for its heap and needs most of a gigabyte of the rest for itself
    /// (measured: with a 64 MiB heap it does not start under 1.4 GB); what is left bounds what native code (libvips,
    /// a parser's buffers) can map, which the heap limit does not.
    /// </summary>
    public static ToolBudget ForDotnetChild(long heapBytes, TimeSpan cpuTime) => new(2 * (heapBytes + (1L << 30)), cpuTime);
}

/// <summary>Runs the pipeline's command-line tools (tesseract, pdftoppm, pdftotext, the reader process), killing them on timeout or cancellation.</summary>
public static class CommandLine
{
    private const int MaxErrorCharacters = 64 * 1024;

    /// <summary>
    /// All a tool inherits from the worker's environment: where programs and language data are, the locale and the
    /// temporary folder. Never the connection strings, keys and credentials: a tool reads a tenant's file, and a file
    /// that takes a tool over must find nothing there to use.
    /// </summary>
    private static readonly string[] Inherited = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TESSDATA_PREFIX"];

    /// <param name="budget">Kernel limits on the tool's memory and CPU time; null for none.</param>
    /// <param name="maxOutputCharacters">The most standard output kept: past it the tool is stopped and the result says so.</param>
    /// <exception cref="TimeoutException">The program ran longer than <paramref name="timeout"/>; it has been killed.</exception>
    public static async Task<CommandResult> RunAsync(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellationToken,
        ToolBudget? budget = null, int maxOutputCharacters = 16 * 1024 * 1024)
    {
        var start = new ProcessStartInfo(budget is null ? program : "prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (budget is not null)
        {
            start.ArgumentList.Add($"--as={budget.MemoryBytes.ToString(CultureInfo.InvariantCulture)}");
            start.ArgumentList.Add($"--cpu={Math.Max(1, (long)Math.Ceiling(budget.CpuTime.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var output = ReadAtMostAsync(process.StandardOutput, maxOutputCharacters, stopThere: true, limit.Token);
        var error = ReadAtMostAsync(process.StandardError, MaxErrorCharacters, stopThere: false, limit.Token);
        try
        {
            var (text, cut) = await output;
            if (cut)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(limit.Token);
            return new CommandResult(process.ExitCode, text, (await error).Text, cut);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} ran longer than {timeout} and was stopped.");
        }
    }

    /// <summary>
    /// Keeps at most <paramref name="maxCharacters"/> of the stream, and says whether there was more; stops reading
    /// there, or reads on to the end and drops the rest.
    /// </summary>
    private static async Task<(string Text, bool Cut)> ReadAtMostAsync(StreamReader reader, int maxCharacters, bool stopThere, CancellationToken cancellationToken)
    {
        var cut = false;
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var keep = Math.Min(read, maxCharacters - text.Length);
            text.Append(buffer, 0, keep);
            if (keep < read)
            {
                cut = true;
                if (stopThere)
                {
                    break;
                }
            }
        }

        return (text.ToString(), cut);
    }
}
