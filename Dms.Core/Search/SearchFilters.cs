using System.Text.RegularExpressions;
using Dms.Catalogs;
using Dms.Common;
using Dms.Fields;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Search;

/// <summary>The words of a search with its <c>name:value</c> terms taken out, and the keys those and the filters ask for.</summary>
public sealed record SearchTerms(string Words, IReadOnlyList<SearchKey> Keys);

/// <summary>
/// Reads what a search filters by into keys (<see cref="SearchKeys"/>), against the tenant's types, correspondents
/// and fields, in its read scope: the <c>documentType</c> and <c>correspondent</c> parameters, the list's field
/// filters (<c>FIELD:eq|in|exists|missing[:VALUE]</c>: ranges are the document list's), and <c>name:value</c> in the
/// words — <c>type:Invoice</c>, <c>correspondent:"Acme Ltd"</c>, <c>paid:no</c>, <c>priority:high,low</c>
/// (a choice's options, any of them) — where the name is a field's (or <c>type</c>, <c>correspondent</c>) and the
/// value one of its values; a name that is none of them stays a word (<c>10:30</c>, <c>re:invoice</c>).
/// </summary>
public sealed partial class SearchFilters(DmsDbContext db, FieldFilterReader fieldFilters)
{
    /// <summary>How many <c>NAME:VALUE</c> words a search resolves.</summary>
    public const int MaxTerms = 20;

    private const string TypeName = "type";
    private const string CorrespondentName = "correspondent";

    public async Task<Outcome<SearchTerms>> ReadAsync(
        Guid tenantId, string words, Guid? documentTypeId, Guid? correspondentId, IReadOnlyList<string>? fields, CancellationToken cancellationToken)
    {
        var terms = NamedTerm().Matches(words);
        if (documentTypeId is null && correspondentId is null && fields is not { Count: > 0 } && terms.Count == 0)
        {
            return new SearchTerms(words, []);
        }

        if (terms.Count > MaxTerms)
        {
            // Each is looked up: a query cannot make the database answer thousands of them.
            return Error.Invalid("q", $"A search takes at most {MaxTerms} NAME:VALUE words; these {terms.Count} are too many.");
        }

        using var scope = db.ReadAsTenant(tenantId);
        var keys = new List<SearchKey>();
        if (documentTypeId is { } type)
        {
            keys.Add(new([SearchKeys.Type(type)]));
        }

        if (correspondentId is { } correspondent)
        {
            keys.Add(new([SearchKeys.Correspondent(correspondent)]));
        }

        var filters = await fieldFilters.ReadAsync(fields, cancellationToken);
        if (filters.Error is { } badFilter)
        {
            return badFilter;
        }

        foreach (var filter in filters.Value!)
        {
            var key = KeyOf(filter);
            if (key.Error is { } refused)
            {
                return refused;
            }

            keys.Add(key.Value!);
        }

        var kept = new List<string>();
        var rest = 0;
        foreach (Match term in terms)
        {
            var key = await TermAsync(term.Groups["name"].Value, term.Groups["value"].Value, cancellationToken);
            if (key.Error is { } refused)
            {
                return refused;
            }

            if (key.Value is { } found)
            {
                kept.Add(words[rest..term.Index]);
                rest = term.Index + term.Length;
                keys.Add(found);
            }
        }

        kept.Add(words[rest..]);
        return new SearchTerms(string.Join(' ', kept.Select(part => part.Trim()).Where(part => part.Length > 0)), keys);
    }

    /// <summary>The key of a <c>name:value</c> term, or null when the name is no field's, type's or correspondent's (it stays a word).</summary>
    private async Task<Outcome<SearchKey?>> TermAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (string.Equals(name, TypeName, StringComparison.OrdinalIgnoreCase))
        {
            var named = value.ToLowerInvariant();
            return await db.DocumentTypes.AsNoTracking().Where(t => t.Name.ToLower() == named).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken) is { } type
                ? new SearchKey([SearchKeys.Type(type)])
                : Error.Invalid("q", $"There is no document type '{StorableText.Quoted(value)}' (in '{StorableText.Quoted(name)}:').");
        }

        if (string.Equals(name, CorrespondentName, StringComparison.OrdinalIgnoreCase))
        {
            var named = value.ToLowerInvariant();
            return await db.Correspondents.AsNoTracking().Where(c => c.Name.ToLower() == named).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken) is { } correspondent
                ? new SearchKey([SearchKeys.Correspondent(correspondent)])
                : Error.Invalid("q", $"There is no correspondent '{StorableText.Quoted(value)}' (in '{StorableText.Quoted(name)}:').");
        }

        if (await fieldFilters.FindAsync(name, cancellationToken) is not { } field)
        {
            return Outcome<SearchKey?>.Of(null);
        }

        var filter = FieldFilter.For(field, field.HasOptions && value.Contains(',') ? "in" : "eq", value);
        if (filter.Error is { } refused)
        {
            return refused;
        }

        var key = KeyOf(filter.Value!);
        return key.Error is { } unkeyed ? unkeyed : key.Value;
    }

    private static Outcome<SearchKey> KeyOf(FieldFilter filter)
    {
        var field = filter.Field;
        return filter.Op switch
        {
            "exists" => new SearchKey([SearchKeys.Has(field.Id)]),
            "missing" => new SearchKey([SearchKeys.Has(field.Id)], Negated: true),
            "eq" or "in" when field.HasOptions => new SearchKey([.. filter.Value!.Options!.Select(SearchKeys.Option)]),
            "eq" when SearchKeys.Value(field, filter.Value!) is { } key => new SearchKey([key]),
            "eq" => Error.Invalid("field", $"Field '{field.Name}' is long text: search finds it by its words."),
            _ => Error.Invalid("field", $"A search filters field '{field.Name}' by eq, in, exists or missing; ranges ({filter.Op}) are the document list's."),
        };
    }

    /// <summary>
    /// <c>name:value</c> where the name is a word (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>) or quoted, and so is
    /// the value; at the start or after a space (or an opening parenthesis).
    /// </summary>
    [GeneratedRegex("""(?<=^|[\s(])(?:"(?<name>[^"]{1,200})"|(?<name>[\p{L}\p{N}_.\-]{1,200})):(?:"(?<value>[^"]{1,1000})"|(?<value>[^\s"()]{1,1000}))""", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NamedTerm();
}
