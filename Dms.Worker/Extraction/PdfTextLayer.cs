using System.Globalization;
using System.Text.RegularExpressions;

namespace Dms.Worker.Extraction;

/// <summary>
/// What <c>pdftotext -htmlmeta</c> writes, read back: the text layer (between the page's <c>&lt;pre&gt;</c> and its
/// last <c>&lt;/pre&gt;</c>, written as it is, form feeds ending the pages) and the day of the PDF's creation date from
/// its metadata (the head's <c>CreationDate</c>, which poppler writes as 2027-02-10T09:30:00+01). One tool run gives
/// both. The head holds the PDF's own title unescaped, so a PDF can make up its creation date: it only proposes a date
/// for itself.
/// </summary>
public static partial class PdfTextLayer
{
    private const string Start = "<pre>\n";
    private const string End = "</pre>";

    /// <param name="cut">The output stopped at its budget: there is no closing part, the text runs to its end.</param>
    public static (string Text, DateOnly? Created) Read(string output, bool cut)
    {
        var start = output.IndexOf(Start, StringComparison.Ordinal);
        if (start < 0)
        {
            return ("", null);
        }

        var head = output[..start];
        var body = output[(start + Start.Length)..];
        var end = cut ? -1 : body.LastIndexOf(End, StringComparison.Ordinal);
        var created = CreationDate().Match(head) is { Success: true } match
            && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null;
        return (end < 0 ? body : body[..end], created);
    }

    [GeneratedRegex("""^<meta name="CreationDate" content="(\d{4}-\d{2}-\d{2})""", RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex CreationDate();
}
