using System.Globalization;
using System.Text;
using System.Text.Json;
using Dms.Documents;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Extraction;

/// <summary>
/// Runs the parsers written in .NET (Office Open XML, HTML) in a <see cref="ChildProcess"/>
/// (<c>Dms.Worker read {type} {file} {characters} {budgets}</c>) under the tool budgets and timeout: a parser that
/// runs away (a bug, a bomb the budgets did not foresee, nesting that overflows the stack) ends that process, never
/// the worker. The child prints one line of JSON (pages, detail) and then the text.
/// </summary>
public sealed class ReaderProcess(ChildProcess child, IOptions<ToolOptions> budgets)
{
    public const string Command = "read";
    private const int HeaderCharacters = 64 * 1024;

    /// <summary>The types read in the child process.</summary>
    public static bool Reads(string type) => type is ContentTypes.Docx or ContentTypes.Xlsx or ContentTypes.Pptx or ContentTypes.Html;

    public async Task<ExtractedText> ReadAsync(string type, string path, int maxCharacters, CancellationToken cancellationToken)
    {
        var limits = budgets.Value;
        CommandResult result;
        try
        {
            result = await child.RunAsync(Command, [type, path, maxCharacters.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(limits)],
                limits.ToolTimeout, cancellationToken, maxOutputCharacters: maxCharacters + HeaderCharacters);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Reading the {What(type)} took longer than {limits.ToolTimeout} (Dms:Extraction:ToolTimeout).");
        }

        return result switch
        {
            { ExitCode: 0 } or { OutputCut: true } => Parse(result.Output),
            { ExitCode: ChildProcess.Unreadable } => throw new UnreadableContentException(result.Error.Trim()),
            { ExitCode: ChildProcess.OutOfMemory } or { Signalled: true } => throw new UnreadableContentException(
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
            var limits = JsonSerializer.Deserialize<ToolOptions>(budgetsJson) ?? new ToolOptions();
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
            return ChildProcess.Unreadable;
        }
        catch (Exception e) when (e is OutOfMemoryException or InsufficientExecutionStackException)
        {
            return ChildProcess.OutOfMemory;
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

    private sealed record Header(int Pages, int OcrPages, string Detail);
}
