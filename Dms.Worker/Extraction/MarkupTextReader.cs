using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads plain text and HTML only up to their character budget, HTML through a real (linear) parser: a tenant's
/// file cannot make the worker read gigabytes into memory or backtrack for hours.
/// </summary>
public static class MarkupTextReader
{
    /// <summary>How many characters of markup an HTML file may have for each character of text kept.</summary>
    public const int MarkupPerTextCharacter = 4;

    public static async Task<ExtractedText> ReadTextAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        var (text, cut) = await ReadAtMostAsync(path, maxCharacters, cancellationToken);
        return new ExtractedText(text, 1, 0, cut ? $"plain text, cut at {maxCharacters:N0} characters" : "plain text");
    }

    /// <summary>The text of the body, without scripts and styles, one text node after another; the markup read stops at <see cref="MarkupPerTextCharacter"/> times the text kept.</summary>
    public static async Task<ExtractedText> ReadHtmlAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        var maxMarkup = (int)Math.Min((long)maxCharacters * MarkupPerTextCharacter, Array.MaxLength);
        var (markup, cut) = await ReadAtMostAsync(path, maxMarkup, cancellationToken);
        using var document = await new HtmlParser().ParseDocumentAsync(markup, cancellationToken);
        var texts = (document.Body ?? document.DocumentElement).Descendants<IText>()
            .Where(t => t.ParentElement?.LocalName is not ("script" or "style" or "template" or "noscript"))
            .Select(t => t.Data)
            .Where(t => !string.IsNullOrWhiteSpace(t));
        var text = string.Join(" ", texts);
        return new ExtractedText(text.Length > maxCharacters ? text[..maxCharacters] : text, 1, 0,
            cut ? $"HTML without its markup, its first {maxMarkup:N0} characters" : "HTML without its markup");
    }

    /// <summary>At most <paramref name="maxCharacters"/> characters of the file as UTF-8, and whether there were more.</summary>
    private static async Task<(string Text, bool Cut)> ReadAtMostAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while (text.Length < maxCharacters && (read = await reader.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxCharacters - text.Length)), cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return (text.ToString(), text.Length == maxCharacters && reader.Peek() >= 0);
    }
}
