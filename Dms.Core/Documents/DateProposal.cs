using System.Globalization;
using System.Text.RegularExpressions;

namespace Dms.Documents;

/// <summary>How a tenant's documents write a date with numbers only: 10.02.2027 is 10 February (day first) or 2 October (month first).</summary>
public enum DateOrder
{
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

/// <summary>
/// The date a document is about, proposed from its text: the first plausible date in its first characters, written
/// as 2027-02-10, 10.02.2027 (or 02/10/2027, by the configured order), 10 February 2027 or February 10, 2027; when
/// the text has none, the day its metadata says it was created (a PDF's), if that is plausible.
/// Plausible: a real day between 1900 and a few years from now. The scan is bounded (characters, and a regular
/// expression that cannot backtrack), so a hostile text costs as little as any other.
/// </summary>
public static partial class DateProposal
{
    /// <summary>How much of a text is looked at: a document's date is near its start.</summary>
    public const int ScannedCharacters = 20_000;

    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];

    /// <param name="created">The day the file's metadata says it was created (a PDF's): proposed when the text has no date.</param>
    public static DateOnly? FirstIn(string text, DateOrder order, DateOnly today, DateOnly? created = null)
    {
        var scanned = text.Length > ScannedCharacters ? text[..ScannedCharacters] : text;
        foreach (Match match in Dates().Matches(scanned))
        {
            if (Read(match, order) is { } date && Plausible(date, today))
            {
                return date;
            }
        }

        return created is { } day && Plausible(day, today) ? day : null;
    }

    private static bool Plausible(DateOnly date, DateOnly today) => date.Year >= 1900 && date <= today.AddYears(5);

    private static DateOnly? Read(Match match, DateOrder order)
    {
        int Number(string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        int Month(string group) => Array.FindIndex(Months, m => m.StartsWith(match.Groups[group].Value, StringComparison.OrdinalIgnoreCase)) + 1;

        var (year, month, day) = match switch
        {
            _ when match.Groups["iy"].Success => (Number("iy"), Number("im"), Number("id")),
            _ when match.Groups["ny"].Success => order switch
            {
                DateOrder.MonthDayYear => (Number("ny"), Number("na"), Number("nb")),
                _ => (Number("ny"), Number("nb"), Number("na")),
            },
            _ when match.Groups["ty"].Success => (Number("ty"), Month("tm"), Number("td")),
            _ => (Number("uy"), Month("um"), Number("ud")),
        };
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    [GeneratedRegex("""
        \b(?<iy>\d{4})[-./](?<im>\d{1,2})[-./](?<id>\d{1,2})\b
        |\b(?<na>\d{1,2})[./](?<nb>\d{1,2})[./](?<ny>\d{4})\b
        |\b(?<td>\d{1,2})\.?\s(?<tm>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s(?<ty>\d{4})\b
        |\b(?<um>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s(?<ud>\d{1,2}),?\s(?<uy>\d{4})\b
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex Dates();
}
