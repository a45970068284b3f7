namespace Dms.Web.Components;

/// <summary>
/// The pages a list paged by cursor showed before this one, carried in its address (<c>before=</c>, the cursors in
/// order; <c>~</c> for the first page), so every list links back a page without the server keeping anything. The
/// API's cursors are URL-safe and have no commas. At most <see cref="MaxPages"/> are kept: past that, the oldest go.
/// </summary>
public static class PageTrail
{
    public const int MaxPages = 50;
    private const string First = "~";

    /// <summary>The trail of the next page: this one's, with this page's cursor added.</summary>
    public static string Forward(string? before, string? cursor) => string.Join(',', Split(before).Append(cursor ?? First).TakeLast(MaxPages));

    /// <summary>The previous page's cursor (null: the first page) and trail; null on the first page.</summary>
    public static (string? Cursor, string? Before)? Back(string? before)
    {
        var trail = Split(before);
        if (trail.Count == 0)
        {
            return null;
        }

        var last = trail[^1];
        return (last == First ? null : last, trail.Count == 1 ? null : string.Join(',', trail.SkipLast(1)));
    }

    private static List<string> Split(string? before) => [.. (before ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
