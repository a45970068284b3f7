namespace Dms.Common;

/// <summary>
/// Text PostgreSQL can hold and compare: no NUL character (its text type refuses one), and no half of a UTF-16
/// surrogate pair (no UTF-8 encoding exists for one). A value that is neither is refused at the edge, naming where it
/// came from, before any query sees it.
/// </summary>
public static class StorableText
{
    public static bool IsStorable(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    /// <summary>The value as a message may quote it: control characters shown as '?', cut after 40 characters.</summary>
    public static string Quoted(string value)
    {
        var shown = new string(value.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
        return value.Length > 40 ? $"{shown}…" : shown;
    }
}
