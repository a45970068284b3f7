using Dms.Documents;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Extraction;

/// <summary>
/// Runs the parsers written in .NET (Office Open XML, HTML) in a child process: the worker's own assembly started as
/// <c>Dms.Worker read {type} {file} {characters} {budgets}</c>, under a hard limit on its heap
/// (<c>DOTNET_GCHeapHardLimit</c> = <c>Dms:Extraction:MaxToolMemoryBytes</c>), a kernel limit on its processor time
/// and the tool timeout. A parser that runs away (a bug, a bomb the budgets did not foresee, nesting that overflows
/// the stack) ends that process, never the worker and the other tenants' documents in it. The child prints one line
/// of JSON (pages, detail) and then the text; a file it cannot read is exit code 65 with the reason on standard error.
/// </summary>
public sealed class ReaderProcess(IOptions<ExtractionOptions> budgets)
{
    public const string Command = "read";
    private const int Unreadable = 65;
    private const int OutOfMemory = 66;
    private const int HeaderCharacters = 64 * 1024;

    /// <summary>The types read in the child process.</summary>
    public static bool Reads(string type) => type is ContentTypes.Docx or ContentTypes.Xlsx or ContentTypes.Pptx or ContentTypes.Html;

    public async Task<ExtractedText> ReadAsync(string type, string path, int maxCharacters, CancellationToken cancellationToken)
    {
        var limits = budgets.Value;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = limits.MaxToolMemoryBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
        };
        string[] arguments = [typeof(ReaderProcess).Assembly.Location, Command, type, path, maxCharacters.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(limits)];
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync(DotnetHost, arguments, environment, limits.ToolTimeout, cancellationToken,
                ToolBudget.ForDotnetChild(limits.MaxToolMemoryBytes, limits.MaxToolCpuTime), maxCharacters + HeaderCharacters);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Reading the {What(type)} took longer than {limits.ToolTimeout} (Dms:Extraction:ToolTimeout).");
        }

        return result switch
        {
            { ExitCode: 0 } or { OutputCut: true } => Parse(result.Output),
            { ExitCode: Unreadable } => throw new UnreadableContentException(result.Error.Trim()),
            { ExitCode: OutOfMemory } or { Signalled: true } => throw new UnreadableContentException(
                $"Reading the {What(type)} needed more than {limits.MemoryInWords} of memory or {limits.MaxToolCpuTime} of processor time, or nested too deeply (Dms:Extraction budgets): it expands to more than a document should."),
            _ => throw new InvalidOperationException($"The reader process ended with exit code {result.ExitCode}: {TrimmedError(result.Error)}"),
        };
    }

    /// <summary>The child's side: reads the file and prints the result; the exit code says how it went.</summary>
    public static int Serve(IReadOnlyList<string> arguments)
    {
        if (arguments is not [var type, var path, var characters, var budgetsJson])
        {
            Console.Error.WriteLine($"usage: Dms.Worker {Command} <content type> <file> <max characters> <budgets as JSON>");
            return 2;
        }

        try
        {
            var maxCharacters = int.Parse(characters, CultureInfo.InvariantCulture);
            var limits = JsonSerializer.Deserialize<ExtractionOptions>(budgetsJson) ?? new ExtractionOptions();
            var extracted = type == ContentTypes.Html
                ? MarkupTextReader.ReadHtmlAsync(path, maxCharacters, CancellationToken.None).GetAwaiter().GetResult()
                : new OfficeTextReader(limits).Read(path, type, maxCharacters);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            output.WriteLine(JsonSerializer.Serialize(new Header(extracted.Pages, extracted.OcrPages, extracted.Detail)));
            output.Write(extracted.Text);
            return 0;
        }
        catch (UnreadableContentException e)
        {
            Console.Error.WriteLine(e.Message);
            return Unreadable;
        }
        catch (Exception e) when (e is OutOfMemoryException or InsufficientExecutionStackException)
        {
            return OutOfMemory;
        }
    }

    private static ExtractedText Parse(string output)
    {
        var endOfHeader = output.IndexOf('\n', StringComparison.Ordinal);
        var header = JsonSerializer.Deserialize<Header>(output.AsSpan(0, endOfHeader < 0 ? output.Length : endOfHeader))!;
        return new ExtractedText(endOfHeader < 0 ? "" : output[(endOfHeader + 1)..], header.Pages, header.OcrPages, header.Detail);
    }

    private static string What(string type) => type == ContentTypes.Html ? "HTML file" : "Office document";

    private static string TrimmedError(string error) => error.Length > 2000 ? error[..2000] : error.Trim();

    /// <summary>The <c>dotnet</c> host of the runtime this process runs on (its folder is three above the runtime's own).</summary>
    internal static string DotnetHost { get; } =
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet")) is var host && File.Exists(host) ? host : "dotnet";

    private sealed record Header(int Pages, int OcrPages, string Detail);
}
