using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Search;

public static class SearchEndpoints
{
    public sealed record SearchResponse(
        long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> TagFacets, IReadOnlyDictionary<string, long> ContentTypeFacets, string? NextCursor);

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/search", SearchAsync)
            .WithTags("Search")
            .WithSummary("Searches the caller's ready documents: ranked hits with highlighted snippets, tag and type facets.")
            .RequireAuthorization(Roles.Policies.Read);
        return endpoints;
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(
        Caller caller, SearchService search, CancellationToken cancellationToken,
        string? q = null, string? tag = null, string? contentType = null, int? limit = null, string? cursor = null)
    {
        var outcome = await search.SearchAsync(caller.TenantId, new SearchQuery(q, tag, contentType, limit, cursor), cancellationToken);
        return outcome.Error is { } error
            ? error.ToProblem()
            : TypedResults.Ok(new SearchResponse(outcome.Value!.Total, outcome.Value.Hits, outcome.Value.Tags, outcome.Value.ContentTypes, outcome.Value.NextCursor));
    }
}
