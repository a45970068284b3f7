using System.ComponentModel.DataAnnotations;

namespace Dms.Search;

public enum SearchProvider
{
    Postgres,
    Elasticsearch,
}

/// <summary>Which index serves search, and its limits, bound from <c>Dms:Search</c>.</summary>
public sealed class SearchOptions : IValidatableObject
{
    public const string Section = "Dms:Search";

    public SearchProvider Provider { get; set; } = SearchProvider.Postgres;

    /// <summary>How much of a document's text is indexed, so a huge document cannot stall indexing.</summary>
    [Range(1000, 10_000_000, ErrorMessage = "Dms:Search:MaxIndexedCharacters must be 1000 to 10000000.")]
    public int MaxIndexedCharacters { get; set; } = 500_000;

    [Range(1, 100_000, ErrorMessage = "Dms:Search:MaxQueryLength must be 1 to 100000.")]
    public int MaxQueryLength { get; set; } = 10_000;

    [Range(1, 1000, ErrorMessage = "Dms:Search:MaxPageSize must be 1 to 1000.")]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>A word being typed matches as a prefix from this many letters: <c>a</c> would match nearly every word.</summary>
    [Range(1, 20, ErrorMessage = "Dms:Search:MinPrefixLength must be 1 to 20.")]
    public int MinPrefixLength { get; set; } = 3;

    /// <summary>The most matches a search ranks and counts for its facets; past it the total is a lower bound.</summary>
    [Range(100, 10_000_000, ErrorMessage = "Dms:Search:MaxCandidates must be 100 to 10000000.")]
    public int MaxCandidates { get; set; } = 2_000;

    /// <summary>Snippets are cut from this many first characters of each hit's text.</summary>
    [Range(1000, 10_000_000, ErrorMessage = "Dms:Search:SnippetWindowCharacters must be 1000 to 10000000.")]
    public int SnippetWindowCharacters { get; set; } = 20_000;

    /// <summary>
    /// The longest one search may run in the database; a query that would take longer is refused (422
    /// <c>search-too-broad</c>). Below the database deadline's command timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Dms:Search:StatementTimeout must be between 1 ms and 10 minutes.")]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(4);

    public ElasticsearchOptions Elasticsearch { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == SearchProvider.Elasticsearch && !Uri.TryCreate(Elasticsearch.Url, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Dms:Search:Elasticsearch:Url must be the cluster's URL when Dms:Search:Provider is Elasticsearch.", [nameof(Elasticsearch)]);
        }
    }
}

/// <summary>An Elasticsearch 8 or 9 cluster (Elastic Cloud or self-managed; the official client refuses OpenSearch).</summary>
public sealed class ElasticsearchOptions
{
    public string? Url { get; set; }

    /// <summary>One index shared by every tenant, routed by tenant id.</summary>
    public string Index { get; set; } = "dms-documents";

    /// <summary>An API key (base64, as Kibana shows it); none for a cluster without security.</summary>
    public string? ApiKey { get; set; }
}
