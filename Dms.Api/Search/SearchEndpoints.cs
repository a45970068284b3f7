using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Search;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/search", SearchAsync).WithName("SearchDocuments")
            .WithTags("Search")
            .WithSummary("Searches the caller's ready documents: ranked hits with highlighted snippets, tag and type facets.")
            .WithDescription(
                "Each hit's snippets are HTML-safe by contract: the document's text is HTML-escaped and the matched words are " +
                "wrapped in <mark>...</mark>, the only markup a snippet ever contains, so a client may insert it as HTML. Any q " +
                "is taken as words (quotes make a phrase, -word excludes, or between words gives either); none answers 500.")
            .RequireAuthorization(Policies.Read);
        endpoints.MapPost("/api/v1/admin/search/reindex", ReindexAsync).WithName("ReindexSearch")
            .WithTags("Search (operator)")
            .WithSummary("Rebuilds one batch of the search index from stored text (one tenant's or all); call again with nextCursor until it is null.")
            .RequireAuthorization(Policies.Operate);
        return endpoints;
    }

    private static async Task<Results<Ok<Contracts.Http.ReindexProgress>, ProblemHttpResult>> ReindexAsync(
        SearchReindexer reindexer, CancellationToken cancellationToken, Guid? tenantId = null, Guid? cursor = null, int batchSize = 500)
    {
        if (batchSize is < 1 or > SearchReindexer.MaxBatchSize)
        {
            return Error.Invalid("batchSize", $"batchSize must be 1 to {SearchReindexer.MaxBatchSize}.").ToProblem();
        }

        var batch = await reindexer.ReindexBatchAsync(tenantId, cursor, batchSize, cancellationToken);
        return TypedResults.Ok(new Contracts.Http.ReindexProgress(batch.Processed, batch.Indexed, batch.NextCursor, batch.Remaining));
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(
        Caller caller, SearchService search, CancellationToken cancellationToken,
        string? q = null, string? tag = null, string? contentType = null, string? status = null,
        DateTimeOffset? createdFrom = null, DateTimeOffset? createdTo = null, int? limit = null, string? cursor = null)
    {
        var outcome = await search.SearchAsync(
            caller.TenantId, new Dms.Search.SearchQuery(q, tag, contentType, status, createdFrom, createdTo, limit, cursor), cancellationToken);
        return outcome.ToOk(found => new SearchResponse(
            found.Total, found.Hits.Select(h => new Contracts.Http.SearchHit(h.DocumentId, h.Title, h.FileName, h.Score, h.Snippets, h.CreatedAt)).ToList(), found.Tags, found.ContentTypes, found.NextCursor, found.TotalIsLowerBound));
    }
}
