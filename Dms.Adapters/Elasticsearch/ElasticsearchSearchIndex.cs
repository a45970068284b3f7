using Dms.Contracts;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Dms.Documents;
using Dms.Persistence;
using Dms.Search;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpMethod = Elastic.Transport.HttpMethod;
using SearchRequest = Dms.Search.SearchRequest;

namespace Dms.Adapters.Elasticsearch;

/// <summary>
/// Elasticsearch as the search index, for deployments that outgrow one database: one index shared by every tenant,
/// each document routed by its tenant id (a tenant's documents share a shard) and every query filtered by it.
/// Requests are written as JSON and sent through the official client's transport, which checks it talks to
/// Elasticsearch. Documents are read from the database in the caller's transaction and put or deleted by id.
/// </summary>
public sealed class ElasticsearchSearchIndex(ElasticsearchClient client, DmsDbContext db, IOptions<SearchOptions> options) : ISearchIndex
{
    /// <summary>The indexes each client (one per process) has made sure exist.</summary>
    private static readonly ConditionalWeakTable<ElasticsearchClient, ConcurrentDictionary<string, bool>> CreatedIndexes = new();

    private ElasticsearchOptions Settings => options.Value.Elasticsearch;

    public static ElasticsearchClient CreateClient(ElasticsearchOptions settings)
    {
        var configuration = new ElasticsearchClientSettings(new Uri(settings.Url!));
        return new ElasticsearchClient(settings.ApiKey is { } key ? configuration.Authentication(new ApiKey(key)) : configuration);
    }

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
            bulk.Append(new JsonObject { ["index"] = ElasticsearchRequests.Action(entry.DocumentId, entry.TenantId) }.ToJsonString()).Append('\n');
            bulk.Append(entry.Source.ToJsonString()).Append('\n');
        }

        foreach (var (id, tenant) in tenants.Where(t => !indexed.Contains(t.Key)))
        {
            bulk.Append(new JsonObject { ["delete"] = ElasticsearchRequests.Action(id, tenant) }.ToJsonString()).Append('\n');
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

    /// <summary>The words as typed; when they find nothing on the first page, once more allowing typos in titles and file names.</summary>
    public async Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, CancellationToken cancellationToken)
    {
        var result = await SearchAsync(tenantId, request, typos: false, cancellationToken);
        return result.Total == 0 && request.Offset == 0 && request.Keys.Count == 0 ? await SearchAsync(tenantId, request, typos: true, cancellationToken) : result;
    }

    private async Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, bool typos, CancellationToken cancellationToken) =>
        ElasticsearchRequests.Read(await SendAsync(
            HttpMethod.POST, $"{Settings.Index}/_search?routing={tenantId}",
            ElasticsearchRequests.Query(tenantId, request, typos, await ReaderTermsAsync(tenantId, cancellationToken)).ToJsonString(), cancellationToken));

    /// <summary>
    /// What the request's viewer finds besides the unrestricted documents (row-level security does not reach the
    /// cluster, so the index carries each document's readers): null for an admin or Dms itself, who find every one.
    /// </summary>
    private async Task<string[]?> ReaderTermsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var viewer = db.Viewer;
        if (viewer == DatabaseNames.EveryDocument)
        {
            return null;
        }

        using (db.ReadAsTenant(tenantId))
        {
            return ElasticsearchRequests.ReaderTerms(viewer, await db.GroupMembers.AsNoTracking().Where(m => m.UserId == viewer).Select(m => m.GroupId).ToListAsync(cancellationToken));
        }
    }

    private sealed record Entry(Guid DocumentId, Guid TenantId, JsonObject Source);

    private sealed record Description(Guid Id, string? Text, string[] Keys);

    /// <summary>The ready documents among these, as the open transaction sees them, with their capped text.</summary>
    private async Task<List<Entry>> ReadAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxIndexedCharacters;
        var rows = await (
            from d in db.Documents.AsNoTracking()
            join t in db.DocumentTexts.AsNoTracking() on new { d.Id, Version = d.CurrentVersion } equals new { Id = t.DocumentId, t.Version }
            where documentIds.Contains(d.Id) && d.Status == DocumentStatus.Ready
            select new
            {
                d.Id, d.TenantId, d.CurrentVersion, d.Title, d.FileName, d.Tags, d.ContentType, d.CreatedAt, Body = t.Text.Substring(0, max),
                d.Restricted, d.OwnerUserId, d.OwnerGroupId,
            })
            .ToListAsync(cancellationToken);
        var restricted = rows.Where(r => r.Restricted).Select(r => r.Id).ToList();
        var grants = (await db.DocumentGrants.AsNoTracking().Where(g => restricted.Contains(g.DocumentId)).ToListAsync(cancellationToken))
            .ToLookup(g => g.DocumentId, g => (g.UserId, g.GroupId));
        // What describes each (type, correspondent, fields, notes), written by the database's functions for it: in
        // words, searched with the body, and as keys, to filter and count by.
        var ids = rows.Select(r => r.Id).ToArray();
        var descriptions = await db.Database
            .SqlQuery<Description>($"SELECT d.id AS \"Id\", dms_document_description(d.id, {max}) AS \"Text\", dms_document_keys(d.id) AS \"Keys\" FROM documents d WHERE d.id = ANY({ids})")
            .ToDictionaryAsync(d => d.Id, cancellationToken);
        return rows.Select(r => new Entry(r.Id, r.TenantId, new JsonObject
        {
            ["tenant_id"] = r.TenantId.ToString(),
            ["document_id"] = r.Id.ToString(),
            ["version"] = r.CurrentVersion,
            ["title"] = r.Title,
            ["file_name"] = r.FileName,
            ["tags"] = new JsonArray([.. r.Tags.Select(t => JsonValue.Create(t))]),
            ["content_type"] = r.ContentType,
            ["created_at"] = ElasticsearchRequests.Utc(r.CreatedAt),
            ["body"] = descriptions.GetValueOrDefault(r.Id)?.Text is { Length: > 0 } described ? $"{r.Body}\n{described}" : r.Body,
            ["keys"] = new JsonArray([.. (descriptions.GetValueOrDefault(r.Id)?.Keys ?? []).Select(k => JsonValue.Create(k))]),
            ["readers"] = ElasticsearchRequests.Readers(r.Restricted, r.OwnerUserId, r.OwnerGroupId, grants[r.Id]),
        })).ToList();
    }

    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        var created = CreatedIndexes.GetOrCreateValue(client);
        if (created.ContainsKey(Settings.Index))
        {
            return;
        }

        await SendAsync(HttpMethod.PUT, Settings.Index, ElasticsearchRequests.IndexDefinition().ToJsonString(), cancellationToken, existingIsFine: true);
        await SendAsync(HttpMethod.PUT, $"{Settings.Index}/_mapping", ElasticsearchRequests.AddedMappings().ToJsonString(), cancellationToken);
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
