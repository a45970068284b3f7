using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dms.Api.Search;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/search", SearchAsync).WithName("SearchDocuments")
            .WithTags("Search")
            .WithSummary("Searches the caller's ready documents: ranked hits with highlighted snippets; facets by tag, file type, document type, correspondent and choice; filters by those and by fields (field=FIELD:eq|in|exists|missing[:VALUE], repeated).")
            .WithDescription(
                "Each hit's snippets are HTML-safe by contract: the document's text is HTML-escaped and the matched words are " +
                "wrapped in <mark>...</mark>, the only markup a snippet ever contains, so a client may insert it as HTML. Any q " +
                "is taken as words (quotes make a phrase, -word excludes, or between words gives either); none answers 500. " +
                "A word NAME:VALUE whose name is a custom field's (or type, or correspondent) filters by that value instead " +
                "(type:Invoice, paid:no, priority:high,low for any of a choice's options, \"due date\":2027-03-01); a name that is none stays a word.")
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
        DateTimeOffset? createdFrom = null, DateTimeOffset? createdTo = null, int? limit = null, string? cursor = null,
        Guid? documentType = null, Guid? correspondent = null, [FromQuery] string[]? field = null)
    {
        var outcome = await search.SearchAsync(
            caller.TenantId, new Dms.Search.SearchQuery(q, tag, contentType, status, createdFrom, createdTo, limit, cursor, documentType, correspondent, field), cancellationToken);
        return outcome.ToOk(found => new SearchResponse(
            found.Total, found.Hits.Select(h => new Contracts.Http.SearchHit(h.DocumentId, h.Title, h.FileName, h.Score, h.Snippets, h.CreatedAt)).ToList(), found.Tags, found.ContentTypes, found.NextCursor, found.TotalIsLowerBound,
            SearchKeys.Facet(found.Keys, SearchKeys.TypePrefix), SearchKeys.Facet(found.Keys, SearchKeys.CorrespondentPrefix), SearchKeys.Facet(found.Keys, SearchKeys.OptionPrefix)));
    }
}
