using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Documents;

/// <summary>
/// The runbook's document tasks for operators, by document id across tenants: look at a document and its processing,
/// reprocess it, restore it from the trash, move it to the trash or force-delete it (bytes, versions, text, index).
/// Each runs in the document's own tenant's transaction, as that tenant's admin would.
/// </summary>
public static class AdminDocumentsEndpoints
{
    public sealed record AdminDocumentResponse(DocumentResponse Document, IReadOnlyList<ProcessingStepResponse> Processing);

    public static IEndpointRouteBuilder MapAdminDocuments(this IEndpointRouteBuilder endpoints)
    {
        var documents = endpoints.MapGroup("/api/v1/admin/documents").WithTags("Documents (operator)").RequireAuthorization(Roles.Policies.Operate);
        documents.MapGet("/{id:guid}", GetAsync).WithSummary("A document of any tenant, with what each pipeline step did.");
        documents.MapPost("/{id:guid}/reprocess", ReprocessAsync).WithSummary("Runs the pipeline again on a ready, failed or quarantined document.");
        documents.MapPost("/{id:guid}/restore", RestoreAsync).WithSummary("Brings a document back from the trash.");
        documents.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Moves a document to the trash; with permanent=true removes it and its bytes for good.");
        return endpoints;
    }

    private static async Task<Results<Ok<AdminDocumentResponse>, ProblemHttpResult>> GetAsync(Guid id, DocumentService documents, CancellationToken cancellationToken)
    {
        if (await documents.FindTenantAsync(id, cancellationToken) is not { } tenantId)
        {
            return NotFound();
        }

        var document = await documents.GetAsync(tenantId, id, cancellationToken);
        var steps = await documents.ListProcessingStepsAsync(tenantId, id, cancellationToken);
        return (document.Error ?? steps.Error) is { } error
            ? error.ToProblem()
            : TypedResults.Ok(new AdminDocumentResponse(DocumentResponse.From(document.Value!), steps.Value!.Select(ProcessingStepResponse.From).ToList()));
    }

    private static Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> ReprocessAsync(Guid id, DocumentService documents, CancellationToken cancellationToken) =>
        ActAsync(id, documents, documents.ReprocessAsync, cancellationToken);

    private static Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> RestoreAsync(Guid id, DocumentService documents, CancellationToken cancellationToken) =>
        ActAsync(id, documents, documents.RestoreAsync, cancellationToken);

    private static async Task<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, DocumentService documents, CancellationToken cancellationToken, bool permanent = false)
    {
        if (await documents.FindTenantAsync(id, cancellationToken) is not { } tenantId)
        {
            return NotFound();
        }

        if (!permanent)
        {
            var deleted = await documents.DeleteAsync(tenantId, id, cancellationToken);
            return deleted.Error is { } error ? error.ToProblem() : TypedResults.Ok(DocumentResponse.From(deleted.Value!));
        }

        var purged = await documents.PurgeAsync(tenantId, id, cancellationToken);
        return purged.Error is { } purgeError ? purgeError.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> ActAsync(
        Guid id, DocumentService documents, Func<Guid, Guid, CancellationToken, Task<Outcome<Document>>> action, CancellationToken cancellationToken)
    {
        if (await documents.FindTenantAsync(id, cancellationToken) is not { } tenantId)
        {
            return NotFound();
        }

        var outcome = await action(tenantId, id, cancellationToken);
        return outcome.ToOk(DocumentResponse.From);
    }

    private static ProblemHttpResult NotFound() => Error.NotFound("The document").ToProblem();
}
