using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Contracts.Http;
using Dms.Documents.Queries;
using Dms.Holds;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Holds;

/// <summary>
/// Legal holds, for tenant admins: place one on documents (by ids or a filter), add documents to it, read it, lift it.
/// A held document cannot be trashed, purged or lose a version: those answer 409 <c>document-on-hold</c> naming the hold.
/// </summary>
public static class HoldsEndpoints
{
    public static IHostApplicationBuilder AddHolds(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PlaceHold>();
        builder.Services.AddScoped<LiftHold>();
        builder.Services.AddScoped<ListHolds>();
        return builder;
    }

    public static IEndpointRouteBuilder MapHolds(this IEndpointRouteBuilder endpoints)
    {
        var holds = endpoints.MapGroup("/api/v1/holds").WithTags("Legal holds").RequireAuthorization(Policies.Administer);
        holds.MapGet("/", ListAsync).WithName("ListHolds").WithSummary("The tenant's legal holds, in force first, with how many documents each covers.");
        holds.MapPost("/", PlaceAsync).WithName("PlaceHold")
            .WithSummary("Places a legal hold (name, reason) on documents given by id or by a filter of the documents list; none of them can then be trashed, purged or lose a version.");
        holds.MapGet("/{holdId:guid}", GetAsync).WithName("GetHold").WithSummary("One hold, with the documents it covers.");
        holds.MapPost("/{holdId:guid}/documents", AddAsync).WithName("AddToHold").WithSummary("Adds documents (by id or a filter) to a hold in force.");
        holds.MapPost("/{holdId:guid}/lift", LiftAsync).WithName("LiftHold").WithSummary("Lifts a hold: its documents are released; the hold stays, lifted, for the record.");

        endpoints.MapGet("/api/v1/documents/{id:guid}/holds", OnDocumentAsync).WithTags("Documents").WithName("GetDocumentHolds").RequireAuthorization(Policies.Read)
            .WithSummary("The names of the legal holds in force on a document.");
        return endpoints;
    }

    private static async Task<Ok<List<HoldResponse>>> ListAsync(Caller caller, ListHolds list, CancellationToken cancellationToken) =>
        TypedResults.Ok((await list.HandleAsync(caller.TenantId, cancellationToken)).Select(h => h.Hold.ToResponse(h.Documents)).ToList());

    private static async Task<Results<Created<HoldResponse>, ProblemHttpResult>> PlaceAsync(
        HoldRequest request, Caller caller, PlaceHold place, ListHolds list, CancellationToken cancellationToken)
    {
        var outcome = await place.HandleAsync(caller.TenantId, null, request.Name, request.Reason, request.DocumentIds, Filter(request.Filter), cancellationToken);
        return outcome.Error is { } refused
            ? refused.ToProblem()
            : TypedResults.Created($"/api/v1/holds/{outcome.Value!.Id}", await ShownAsync(caller, list, outcome.Value.Id, cancellationToken));
    }

    private static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> AddAsync(
        Guid holdId, HoldRequest request, Caller caller, PlaceHold place, ListHolds list, CancellationToken cancellationToken)
    {
        var outcome = await place.HandleAsync(caller.TenantId, holdId, null, null, request.DocumentIds, Filter(request.Filter), cancellationToken);
        return outcome.Error is { } refused ? refused.ToProblem() : TypedResults.Ok(await ShownAsync(caller, list, holdId, cancellationToken));
    }

    private static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> GetAsync(Guid holdId, Caller caller, ListHolds list, CancellationToken cancellationToken) =>
        (await list.GetAsync(caller.TenantId, holdId, cancellationToken)).ToOk(h => h.Hold.ToResponse(h.Documents.Count, [.. h.Documents]));

    private static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> LiftAsync(Guid holdId, Caller caller, LiftHold lift, CancellationToken cancellationToken) =>
        (await lift.HandleAsync(caller.TenantId, holdId, cancellationToken)).ToOk(hold => hold.ToResponse(0));

    private static async Task<Results<Ok<List<string>>, ProblemHttpResult>> OnDocumentAsync(
        Guid id, Caller caller, GetDocument get, ListHolds list, DocumentReads reads, CancellationToken cancellationToken)
    {
        // Only a document the caller can see has holds for them.
        var seen = await reads.ReadAsync(caller.TenantId, id, document => Task.FromResult<Dms.Common.Outcome<Dms.Documents.Document>>(document), cancellationToken);
        return seen.Error is { } error ? error.ToProblem() : TypedResults.Ok((await list.OnDocumentAsync(caller.TenantId, id, cancellationToken)).ToList());
    }

    private static async Task<HoldResponse> ShownAsync(Caller caller, ListHolds list, Guid id, CancellationToken cancellationToken)
    {
        var (hold, documents) = (await list.GetAsync(caller.TenantId, id, cancellationToken)).Value;
        return hold.ToResponse(documents.Count);
    }

    private static DocumentQuery? Filter(HoldFilter? filter) => filter is null
        ? null
        : new DocumentQuery(null, filter.Tag, filter.ContentType, filter.CreatedFrom, filter.CreatedTo, null, null, null, null,
            new DocumentFacts(filter.DocumentTypeId, filter.CorrespondentId, null, null, null));

    private static HoldResponse ToResponse(this LegalHold hold, int documents, List<Guid>? ids = null) =>
        new(hold.Id, hold.Name, hold.Reason, hold.PlacedBy, hold.PlacedAt, hold.LiftedAt, hold.LiftedBy, documents, ids);
}
