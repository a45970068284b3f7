using Dms.Fields;

namespace Dms.Search;

/// <summary>
/// A document's keys: what describes it as exact terms, which the index holds beside its words so that a search
/// filters by them (through the same index) and counts them for its facets. The database writes a document's keys
/// (<c>dms_document_keys</c>, the SearchKeys migration); this class writes the same for a search's filters and reads
/// the facets back. Ids, never names, so a rename changes no key.
/// </summary>
public static class SearchKeys
{
    public const string TypePrefix = "type:";
    public const string CorrespondentPrefix = "correspondent:";
    public const string OptionPrefix = "option:";

    /// <summary>How much of a text value a key holds (the database's <c>left(lower(text), 200)</c>).</summary>
    public const int MaxTextCharacters = 200;

    public static string Type(Guid id) => TypePrefix + id;

    public static string Correspondent(Guid id) => CorrespondentPrefix + id;

    public static string Option(Guid id) => OptionPrefix + id;

    /// <summary>Any value of the field.</summary>
    public static string Has(Guid field) => $"has:{field}";

    /// <summary>The key of one value, as the database writes it; null for a long text (searched by its words) and a choice (by its options' keys).</summary>
    public static string? Value(CustomField field, FieldValue value) => value.Kind switch
    {
        FieldKind.LongText or FieldKind.Select or FieldKind.MultiSelect => null,
        FieldKind.Text or FieldKind.Url or FieldKind.User => $"field:{field.Id}:{Truncated(value.Text!.ToLowerInvariant())}",
        _ => $"field:{field.Id}:{FieldValueRules.ToText(field, value).ToLowerInvariant()}",
    };

    /// <summary>The facets among a search's keys: the counts of those with <paramref name="prefix"/>, by the id after it.</summary>
    public static IReadOnlyDictionary<Guid, long> Facet(IReadOnlyDictionary<string, long> keys, string prefix) =>
        keys.Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(k.Key.AsSpan(prefix.Length), out _))
            .ToDictionary(k => Guid.Parse(k.Key.AsSpan(prefix.Length)), k => k.Value);

    private static string Truncated(string text) => text.Length <= MaxTextCharacters ? text : text[..MaxTextCharacters];
}

/// <summary>One filter of a search on a document's keys: any of <see cref="AnyOf"/>, or, when <see cref="Negated"/>, none of them.</summary>
public sealed record SearchKey(IReadOnlyList<string> AnyOf, bool Negated = false);
