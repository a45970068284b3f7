using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dms.Search;

namespace Dms.Adapters.Elasticsearch;

/// <summary>The JSON this adapter sends Elasticsearch and reads back: the index definition, the search request, its answer.</summary>
public static partial class ElasticsearchRequests
{
    /// <summary>
    /// The index's settings and mappings: words folded to ASCII and stemmed as English (so <c>resume</c> finds
    /// <c>résumé</c>), offsets kept for highlighting, tags and types as keywords for filters and facets, and routing
    /// required so no document is written without its tenant.
    /// </summary>
    public static JsonObject IndexDefinition() => new()
    {
        ["settings"] = new JsonObject
        {
            ["analysis"] = new JsonObject
            {
                ["filter"] = new JsonObject { ["dms_english_stemmer"] = new JsonObject { ["type"] = "stemmer", ["language"] = "english" } },
                ["analyzer"] = new JsonObject
                {
                    ["dms_text"] = new JsonObject
                    {
                        ["type"] = "custom",
                        ["tokenizer"] = "standard",
                        ["filter"] = new JsonArray("lowercase", "asciifolding", "dms_english_stemmer"),
                    },
                },
            },
        },
        ["mappings"] = new JsonObject
        {
            ["_routing"] = new JsonObject { ["required"] = true },
            ["dynamic"] = "strict",
            ["properties"] = new JsonObject
            {
                ["tenant_id"] = Keyword(),
                ["document_id"] = Keyword(),
                ["version"] = new JsonObject { ["type"] = "integer" },
                ["title"] = Text(),
                ["file_name"] = Text(),
                ["tags"] = Keyword(),
                ["content_type"] = Keyword(),
                ["created_at"] = new JsonObject { ["type"] = "date" },
                ["body"] = Text(),
                ["keys"] = Keyword(),
                ["readers"] = Keyword(),
            },
        },
    };

    /// <summary>Who reads an unrestricted document: everyone of its tenant.</summary>
    public const string EveryReader = "*";

    /// <summary>
    /// Who may find a document (<c>readers</c>): everyone of its tenant (<see cref="EveryReader"/>), or, restricted, its
    /// owner and grantees as <c>user:SUBJECT</c> and <c>group:ID</c>; the admins find every document without asking.
    /// </summary>
    public static JsonArray Readers(bool restricted, string? ownerUser, Guid? ownerGroup, IEnumerable<(string? User, Guid? Group)> grants) =>
        restricted
            ? new JsonArray([.. grants.Append((User: ownerUser, Group: ownerGroup)).SelectMany(g => new[] { g.User is null ? null : "user:" + g.User, g.Group is null ? null : "group:" + g.Group })
                .OfType<string>().Distinct().Select(r => JsonValue.Create(r))])
            : new JsonArray(EveryReader);

    /// <summary>What a viewer who is not an admin is among <see cref="Readers"/>: everyone, themselves, and each of their groups.</summary>
    public static string[] ReaderTerms(string viewer, IEnumerable<Guid> groups) =>
        viewer.Length == 0 ? [EveryReader] : [EveryReader, "user:" + viewer, .. groups.Select(g => "group:" + g)];

    /// <summary>
    /// The fields added to the mappings since the index was first defined, put on an index made before them (adding a
    /// field to a mapping is allowed; putting one that is there again changes nothing).
    /// </summary>
    public static JsonObject AddedMappings() => new() { ["properties"] = new JsonObject { ["keys"] = Keyword(), ["readers"] = Keyword() } };

    /// <summary>
    /// The search request: the words as a <c>simple_query_string</c> (phrases, <c>|</c> for <c>or</c>, <c>-</c> to
    /// exclude, <c>*</c> after the word being typed; it never fails on a stray operator), or, for typos, a fuzzy
    /// match on title and file name; always filtered by tenant, by who may find a document, and by the keys asked for (<see cref="SearchKeys"/>: any
    /// of a key's terms, or none when negated); highlights and facets, those of the keys among them.
    /// </summary>
    /// <param name="readers">The viewer's <see cref="ReaderTerms"/>, or null for an admin, who finds every document.</param>
    public static JsonObject Query(Guid tenantId, SearchRequest request, bool typos, string[]? readers = null)
    {
        JsonNode words = request.Text.Length == 0 && request.Keys.Count > 0
            ? new JsonObject { ["match_all"] = new JsonObject() }
            : typos
            ? new JsonObject { ["multi_match"] = new JsonObject { ["query"] = request.Text, ["fields"] = new JsonArray("title", "file_name"), ["fuzziness"] = "AUTO" } }
            : new JsonObject
            {
                ["simple_query_string"] = new JsonObject
                {
                    ["query"] = WebSearchSyntax(request),
                    ["fields"] = new JsonArray("title^4", "file_name^4", "tags^2", "body"),
                    ["default_operator"] = "and",
                    ["lenient"] = true,
                },
            };
        var filters = new JsonArray(new JsonObject { ["term"] = new JsonObject { ["tenant_id"] = tenantId.ToString() } });
        if (readers is not null)
        {
            // An entry written before documents had readers is an unrestricted document's: none could be restricted then.
            filters.Add(new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray(
                        new JsonObject { ["terms"] = new JsonObject { ["readers"] = new JsonArray([.. readers.Select(r => JsonValue.Create(r))]) } },
                        new JsonObject { ["bool"] = new JsonObject { ["must_not"] = new JsonObject { ["exists"] = new JsonObject { ["field"] = "readers" } } } }),
                    ["minimum_should_match"] = 1,
                },
            });
        }

        var excluded = new JsonArray();
        foreach (var key in request.Keys)
        {
            (key.Negated ? excluded : filters).Add(new JsonObject { ["terms"] = new JsonObject { ["keys"] = new JsonArray([.. key.AnyOf.Select(k => JsonValue.Create(k))]) } });
        }

        if (request.Tag is { } tag)
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["tags"] = tag } });
        }

        if (request.ContentType is { } type)
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["content_type"] = type } });
        }

        if (request.CreatedFrom is not null || request.CreatedTo is not null)
        {
            var range = new JsonObject();
            if (request.CreatedFrom is { } from)
            {
                range["gte"] = Utc(from);
            }

            if (request.CreatedTo is { } to)
            {
                range["lte"] = Utc(to);
            }

            filters.Add(new JsonObject { ["range"] = new JsonObject { ["created_at"] = range } });
        }

        return new JsonObject
        {
            ["from"] = request.Offset,
            ["size"] = request.Limit,
            ["track_total_hits"] = true,
            ["_source"] = new JsonArray("document_id", "title", "file_name", "created_at"),
            ["query"] = new JsonObject { ["bool"] = new JsonObject { ["must"] = new JsonArray(words), ["filter"] = filters, ["must_not"] = excluded } },
            ["sort"] = new JsonArray("_score", new JsonObject { ["document_id"] = "asc" }),
            ["highlight"] = new JsonObject
            {
                // The text is HTML-escaped around the marks: a snippet is safe to show as HTML.
                ["encoder"] = "html",
                ["pre_tags"] = new JsonArray("<mark>"),
                ["post_tags"] = new JsonArray("</mark>"),
                ["fields"] = new JsonObject { ["body"] = new JsonObject { ["fragment_size"] = 150, ["number_of_fragments"] = 2, ["no_match_size"] = 200 } },
            },
            ["aggs"] = new JsonObject
            {
                ["tags"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "tags", ["size"] = 100 } },
                ["content_types"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "content_type", ["size"] = 100 } },
                ["keys"] = new JsonObject
                {
                    ["terms"] = new JsonObject
                    {
                        ["field"] = "keys", ["size"] = 500,
                        ["include"] = $"({SearchKeys.TypePrefix}|{SearchKeys.CorrespondentPrefix}|{SearchKeys.OptionPrefix}).*",
                    },
                },
            },
        };
    }

    /// <summary>A search response as a result: hits with their highlights, and the facets' buckets.</summary>
    public static SearchResult Read(JsonNode answer)
    {
        var hits = answer["hits"]!["hits"]!.AsArray().Select(hit => new SearchHit(
            Guid.Parse(hit!["_source"]!["document_id"]!.GetValue<string>()),
            hit["_source"]!["title"]!.GetValue<string>(),
            hit["_source"]!["file_name"]!.GetValue<string>(),
            hit["_score"]?.GetValueKind() == JsonValueKind.Number ? hit["_score"]!.GetValue<double>() : 0,
            hit["highlight"]?["body"]?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [],
            DateTimeOffset.Parse(hit["_source"]!["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture))).ToList();
        var total = answer["hits"]!["total"]!;
        return new SearchResult(total["value"]!.GetValue<long>(), hits, Buckets(answer, "tags"), Buckets(answer, "content_types"), null,
            TotalIsLowerBound: total["relation"]?.GetValue<string>() == "gte", Keys: Buckets(answer, "keys"));
    }

    private static Dictionary<string, long> Buckets(JsonNode answer, string name) =>
        answer["aggregations"]?[name]?["buckets"]?.AsArray().ToDictionary(b => b!["key"]!.GetValue<string>(), b => b!["doc_count"]!.GetValue<long>()) ?? [];

    /// <summary>Web search syntax as <c>simple_query_string</c> reads it: <c>or</c> becomes <c>|</c>, the word being typed gets <c>*</c>.</summary>
    private static string WebSearchSyntax(SearchRequest request)
    {
        var text = request.Typing is { } typing ? $"{request.Before}{typing}*" : request.Text;
        return OrWord().Replace(text, " | ");
    }

    [GeneratedRegex(@"\s+or\s+", RegexOptions.IgnoreCase)]
    private static partial Regex OrWord();

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };

    private static JsonObject Text() => new() { ["type"] = "text", ["analyzer"] = "dms_text", ["index_options"] = "offsets" };

    public static JsonObject Action(Guid documentId, Guid tenantId) => new() { ["_id"] = documentId.ToString(), ["routing"] = tenantId.ToString() };
}
