using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dms.Data;
using Dms.Documents;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Search.Elasticsearch;

/// <summary>
/// Elasticsearch as the search index, for deployments that outgrow one database: one index shared by every tenant,
/// each document routed by its tenant id (a tenant's documents share a shard) and every query filtered by it.
/// Requests are written as JSON and sent through the official client's transport, which checks it talks to
/// Elasticsearch. Documents are read from the database in the caller's transaction and put or deleted by id.
/// </summary>
public sealed partial class ElasticsearchSearchIndex(ElasticsearchClient client, DmsDbContext db, IOptions<SearchOptions> options) : ISearchIndex
{
    /// <summary>The indexes each client (one per process) has made sure exist.</summary>
    private static readonly ConditionalWeakTable<ElasticsearchClient, ConcurrentDictionary<string, bool>> CreatedIndexes = new();

    private ElasticsearchOptions Settings => options.Value.Elasticsearch;

    public static ElasticsearchClient CreateClient(ElasticsearchOptions settings)
    {
        var configuration = new ElasticsearchClientSettings(new Uri(settings.Url!));
        return new ElasticsearchClient(settings.ApiKey is { } key ? configuration.Authentication(new ApiKey(key)) : configuration);
    }

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
            },
        },
    };

    public async Task IndexAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        var entries = await ReadAsync([documentId], cancellationToken);
        await EnsureIndexAsync(cancellationToken);
        if (entries.SingleOrDefault() is { } entry)
        {
            await SendAsync(HttpMethod.PUT, $"{Settings.Index}/_doc/{documentId}?routing={tenantId}", entry.Source.ToJsonString(), cancellationToken);
        }
        else
        {
            await SendAsync(HttpMethod.DELETE, $"{Settings.Index}/_doc/{documentId}?routing={tenantId}", null, cancellationToken, missingIsFine: true);
        }
    }

    public async Task<int> ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken)
    {
        List<Entry> entries;
        Dictionary<Guid, Guid> tenants;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            entries = await ReadAsync(documentIds, cancellationToken);
            tenants = await db.Documents.Where(d => documentIds.Contains(d.Id)).Select(d => new { d.Id, d.TenantId })
                .ToDictionaryAsync(d => d.Id, d => d.TenantId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await EnsureIndexAsync(cancellationToken);
        var indexed = entries.Select(e => e.DocumentId).ToHashSet();
        var bulk = new System.Text.StringBuilder();
        foreach (var entry in entries)
        {
            bulk.Append(new JsonObject { ["index"] = Action(entry.DocumentId, entry.TenantId) }.ToJsonString()).Append('\n');
            bulk.Append(entry.Source.ToJsonString()).Append('\n');
        }

        foreach (var (id, tenant) in tenants.Where(t => !indexed.Contains(t.Key)))
        {
            bulk.Append(new JsonObject { ["delete"] = Action(id, tenant) }.ToJsonString()).Append('\n');
        }

        if (bulk.Length > 0)
        {
            var answer = await SendAsync(HttpMethod.POST, $"{Settings.Index}/_bulk", bulk.ToString(), cancellationToken);
            if (answer["errors"]?.GetValue<bool>() == true)
            {
                var items = answer["items"]?.ToJsonString() ?? "";
                throw new InvalidOperationException($"Elasticsearch refused part of a bulk reindex: {items[..Math.Min(500, items.Length)]}");
            }
        }

        return entries.Count;
    }

    /// <summary>The cluster's own health: red (a primary shard missing) fails, yellow is reported.</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var health = await SendAsync(HttpMethod.GET, "_cluster/health", null, cancellationToken);
        var status = health["status"]?.GetValue<string>() ?? "unknown";
        return status is "green" or "yellow"
            ? $"Elasticsearch cluster {health["cluster_name"]?.GetValue<string>()} is {status}."
            : throw new SearchUnavailableException($"The Elasticsearch cluster is {status}.");
    }

    public async Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, CancellationToken cancellationToken)
    {
        var result = Read(await SendAsync(HttpMethod.POST, $"{Settings.Index}/_search?routing={tenantId}", Query(tenantId, request, typos: false).ToJsonString(), cancellationToken));
        if (result.Total == 0 && request.Offset == 0)
        {
            result = Read(await SendAsync(HttpMethod.POST, $"{Settings.Index}/_search?routing={tenantId}", Query(tenantId, request, typos: true).ToJsonString(), cancellationToken));
        }

        return result;
    }

    /// <summary>
    /// The search request: the words as a <c>simple_query_string</c> (phrases, <c>|</c> for <c>or</c>, <c>-</c> to
    /// exclude, <c>*</c> after the word being typed; it never fails on a stray operator), or, for typos, a fuzzy
    /// match on title and file name; always filtered by tenant; highlights and facets.
    /// </summary>
    public static JsonObject Query(Guid tenantId, SearchRequest request, bool typos)
    {
        JsonNode words = typos
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
            ["query"] = new JsonObject { ["bool"] = new JsonObject { ["must"] = new JsonArray(words), ["filter"] = filters } },
            ["sort"] = new JsonArray("_score", new JsonObject { ["document_id"] = "asc" }),
            ["highlight"] = new JsonObject
            {
                ["pre_tags"] = new JsonArray("<mark>"),
                ["post_tags"] = new JsonArray("</mark>"),
                ["fields"] = new JsonObject { ["body"] = new JsonObject { ["fragment_size"] = 150, ["number_of_fragments"] = 2, ["no_match_size"] = 200 } },
            },
            ["aggs"] = new JsonObject
            {
                ["tags"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "tags", ["size"] = 100 } },
                ["content_types"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "content_type", ["size"] = 100 } },
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
            DateTimeOffset.Parse(hit["_source"]!["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        return new SearchResult(answer["hits"]!["total"]!["value"]!.GetValue<long>(), hits, Buckets(answer, "tags"), Buckets(answer, "content_types"), null);
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

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };

    private static JsonObject Text() => new() { ["type"] = "text", ["analyzer"] = "dms_text", ["index_options"] = "offsets" };

    private static JsonObject Action(Guid documentId, Guid tenantId) => new() { ["_id"] = documentId.ToString(), ["routing"] = tenantId.ToString() };

    private sealed record Entry(Guid DocumentId, Guid TenantId, JsonObject Source);

    /// <summary>The ready documents among these, as the open transaction sees them, with their capped text.</summary>
    private async Task<List<Entry>> ReadAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxIndexedCharacters;
        var rows = await (
            from d in db.Documents.AsNoTracking()
            join t in db.DocumentTexts.AsNoTracking() on new { d.Id, Version = d.CurrentVersion } equals new { Id = t.DocumentId, t.Version }
            where documentIds.Contains(d.Id) && d.Status == DocumentStatus.Ready
            select new { d.Id, d.TenantId, d.CurrentVersion, d.Title, d.FileName, d.Tags, d.ContentType, d.CreatedAt, Body = t.Text.Substring(0, max) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new Entry(r.Id, r.TenantId, new JsonObject
        {
            ["tenant_id"] = r.TenantId.ToString(),
            ["document_id"] = r.Id.ToString(),
            ["version"] = r.CurrentVersion,
            ["title"] = r.Title,
            ["file_name"] = r.FileName,
            ["tags"] = new JsonArray([.. r.Tags.Select(t => JsonValue.Create(t))]),
            ["content_type"] = r.ContentType,
            ["created_at"] = Utc(r.CreatedAt),
            ["body"] = r.Body,
        })).ToList();
    }

    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        var created = CreatedIndexes.GetOrCreateValue(client);
        if (created.ContainsKey(Settings.Index))
        {
            return;
        }

        await SendAsync(HttpMethod.PUT, Settings.Index, IndexDefinition().ToJsonString(), cancellationToken, existingIsFine: true);
        created[Settings.Index] = true;
    }

    private async Task<JsonNode> SendAsync(
        HttpMethod method, string path, string? body, CancellationToken cancellationToken, bool missingIsFine = false, bool existingIsFine = false)
    {
        var response = body is null
            ? await client.Transport.RequestAsync<StringResponse>(method, path, cancellationToken)
            : await client.Transport.RequestAsync<StringResponse>(method, path, PostData.String(body), cancellationToken);
        var status = response.ApiCallDetails.HttpStatusCode;
        if (response.ApiCallDetails.HasSuccessfulStatusCode
            || (missingIsFine && status == 404)
            || (existingIsFine && status == 400 && response.Body.Contains("resource_already_exists_exception", StringComparison.Ordinal)))
        {
            return JsonNode.Parse(string.IsNullOrEmpty(response.Body) ? "{}" : response.Body)!;
        }

        var problem = $"Elasticsearch answered {method} {path} with {status?.ToString() ?? "no response"}: {response.ApiCallDetails.OriginalException?.Message ?? response.Body}";
        throw status is null or >= 500
            ? new SearchUnavailableException(problem, response.ApiCallDetails.OriginalException)
            : new InvalidOperationException(problem);
    }
}
