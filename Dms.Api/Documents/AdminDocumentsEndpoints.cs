using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.Documents.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Documents;

/// <summary>
/// The runbook's document tasks for operators, by document id across tenants: look at a document and its processing,
/// reprocess it, restore it from the trash, move it to the trash or force-delete it (bytes, versions, text, index).
/// Each runs in the document's own tenant's transaction, as that tenant's admin would.
/// </summary>
public static class AdminDocumentsEndpoints
{
    public static IEndpointRouteBuilder MapAdminDocuments(this IEndpointRouteBuilder endpoints)
    {
        var documents = endpoints.MapGroup("/api/v1/admin/documents").WithTags("Documents (operator)").RequireAuthorization(Policies.Operate);
        documents.MapGet("/{id:guid}", GetAsync).WithName("GetAnyDocument").WithSummary("A document of any tenant, with what each pipeline step did.");
        documents.MapPost("/{id:guid}/reprocess", ReprocessAsync).WithName("ReprocessAnyDocument").WithSummary("Runs the pipeline again on a ready, failed or quarantined document.");
        documents.MapPost("/{id:guid}/restore", RestoreAsync).WithName("RestoreAnyDocument").WithSummary("Brings a document back from the trash.");
        documents.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteAnyDocument").WithSummary("Moves a document to the trash; with permanent=true removes it and its bytes for good.");
        return endpoints;
    }

    private static async Task<Results<Ok<AdminDocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, FindDocumentTenant findTenant, GetDocument get, ListProcessingSteps listSteps, CancellationToken cancellationToken)
    {
        if (await findTenant.HandleAsync(id, cancellationToken) is not { Error: null, Value: var tenantId })
        {
            return NotFound();
        }

        var document = await get.HandleAsync(tenantId, id, cancellationToken);
        var steps = await listSteps.HandleAsync(tenantId, id, cancellationToken);
        return (document.Error ?? steps.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(new AdminDocumentResponse(document.Value!.ToResponse(null), steps.Value!.Select(DocumentAnswers.ToResponse).ToList()));
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> ReprocessAsync(
        Guid id, FindDocumentTenant findTenant, ReprocessDocument reprocess, CancellationToken cancellationToken) =>
        await findTenant.HandleAsync(id, cancellationToken) is { Error: null, Value: var tenantId }
            ? (await reprocess.HandleAsync(tenantId, id, cancellationToken)).ToOk(d => d.ToResponse(null))
            : NotFound();

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> RestoreAsync(
        Guid id, FindDocumentTenant findTenant, RestoreDocument restore, CancellationToken cancellationToken) =>
        await findTenant.HandleAsync(id, cancellationToken) is { Error: null, Value: var tenantId }
            ? (await restore.HandleAsync(tenantId, id, cancellationToken)).ToOk(d => d.ToResponse(null))
            : NotFound();

    private static async Task<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, FindDocumentTenant findTenant, TrashDocument trash, PurgeDocument purge, CancellationToken cancellationToken, bool permanent = false) =>
        await findTenant.HandleAsync(id, cancellationToken) is { Error: null, Value: var tenantId }
            ? await DocumentsEndpoints.TrashOrPurgeAsync(tenantId, null, id, permanent, trash, purge, cancellationToken)
            : NotFound();

    private static ProblemHttpResult NotFound() => DocumentErrors.NotFound.ToProblem();
}
