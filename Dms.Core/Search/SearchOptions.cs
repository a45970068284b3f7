using System.ComponentModel.DataAnnotations;

namespace Dms.Search;

/// <summary>Search limits, bound from <c>Dms:Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = "Dms:Search";

    /// <summary>How much of a document's text feeds its search vector, so a huge document cannot stall indexing.</summary>
    [Range(1000, 10_000_000, ErrorMessage = "Dms:Search:MaxIndexedCharacters must be 1000 to 10000000.")]
    public int MaxIndexedCharacters { get; set; } = 500_000;

    [Range(1, 100_000, ErrorMessage = "Dms:Search:MaxQueryLength must be 1 to 100000.")]
    public int MaxQueryLength { get; set; } = 10_000;

    [Range(1, 1000, ErrorMessage = "Dms:Search:MaxPageSize must be 1 to 1000.")]
    public int MaxPageSize { get; set; } = 100;
}
