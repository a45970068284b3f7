using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Api;

/// <summary>
/// Search snippets are HTML-safe by the API's contract (escaped text, matched words in <c>&lt;mark&gt;</c>). The page
/// still inserts one as markup only if that is all it holds; anything else is shown as text.
/// </summary>
public static partial class Snippets
{
    public static MarkupString Safe(string snippet) =>
        new(OnlyMarks().IsMatch(snippet) ? snippet : WebUtility.HtmlEncode(snippet));

    /// <summary>Text without angle brackets, except whole <c>&lt;mark&gt;</c> and <c>&lt;/mark&gt;</c> tags.</summary>
    [GeneratedRegex("^(?:[^<>]|<mark>|</mark>)*$")]
    private static partial Regex OnlyMarks();
}
