using Dms.Previews;
using Dms.Api.Idempotency;
using Dms.Api.Identity;
using Dms.Permissions;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.Documents.Queries;
using Dms.Documents.Uploads;
using Dms.Idempotency;
using Dms.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using PageRendering = Dms.Contracts.Http.PageRendering;

namespace Dms.Api.Documents;

public static class DocumentsEndpoints
{
    public static IHostApplicationBuilder AddDocuments(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentUseCases();
        builder.Services.AddScoped<IdempotencyStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder endpoints)
    {
        var documents = endpoints.MapGroup("/api/v1/documents").WithTags("Documents");
        documents.MapPost("/", CreateAsync).WithName("CreateDocument").RequireAuthorization(Policies.Write).AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Creates a document, reserves its size against the quota and says where to upload its bytes.");
        documents.MapGet("/", ListAsync).WithName("ListDocuments").RequireAuthorization(Policies.Read)
            .WithSummary($"Lists documents, newest first (or order: {DocumentOrders.Syntax}), with filters (status, tag, contentType, created range, ids, documentType, correspondent, document date range, field=FIELD:OP[:VALUE], repeated, and retention=due: flagged for review by their type's retention) and a cursor.");
        documents.MapPost("/bulk", BulkAsync).WithName("ChangeDocuments").RequireAuthorization(Policies.Write)
            .WithSummary($"Tags or trashes up to {ApiLimits.MaxIdsPerRequest} documents, each on its own: the answer says how each went.");
        documents.MapGet("/{id:guid}", GetAsync).WithName("GetDocument").RequireAuthorization(Policies.Read).WithSummary("One document.");
        documents.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateDocument").RequireAuthorization(Policies.Write).WithSummary("Changes a document's title, tags, type, correspondent, document date or custom field values (clear removes the type, correspondent or date).");
        documents.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDocument").RequireAuthorization(Policies.Delete)
            .WithSummary("Moves a document to the trash; with permanent=true (admins) removes it and its bytes for good.");
        documents.MapPost("/{id:guid}/restore", RestoreAsync).WithName("RestoreDocument").RequireAuthorization(Policies.Write).WithSummary("Brings a document back from the trash.");
        documents.MapPost("/{id:guid}/complete", CompleteAsync).WithName("CompleteUpload").RequireAuthorization(Policies.Write).AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Checks the uploaded bytes and queues the document for processing.");
        documents.MapGet("/{id:guid}/content", ContentAsync).WithName("GetDocumentContent").RequireAuthorization(Policies.Read).DisableRequestTimeout()
            .WithSummary("The bytes of the current version (or ?version=n): a redirect to storage, or a stream with Range support.");
        documents.MapPost("/{id:guid}/versions", AddVersionAsync).WithName("AddVersion").RequireAuthorization(Policies.Write)
            .WithSummary("Starts a new version: reserves its size and says where to upload its bytes.");
        documents.MapGet("/{id:guid}/versions", VersionsAsync).WithName("ListVersions").RequireAuthorization(Policies.Read).WithSummary("Every version of a document.");
        documents.MapGet("/{id:guid}/processing", ProcessingAsync).WithName("ListProcessingSteps").RequireAuthorization(Policies.Read)
            .WithSummary("What each pipeline step (type check, scan, extract, index) did to the current version: outcome, attempts, duration, error.");
        documents.MapGet("/{id:guid}/thumbnail", ThumbnailAsync).WithName("GetThumbnail").RequireAuthorization(Policies.Read)
            .WithSummary("A small PNG of the current version's first page, once its malware scan passed it; with an ETag, cached by the browser.");
        documents.MapGet("/{id:guid}/pages/{page:int}", PageAsync).WithName("GetPageImage").RequireAuthorization(Policies.Read)
            .WithSummary("A PNG of one of the current version's pages (from 1), once its malware scan passed it; with an ETag. A PDF's page is rendered when first asked for: 202 with Retry-After until it is there.");
        documents.MapGet("/{id:guid}/text", TextAsync).WithName("GetDocumentText").RequireAuthorization(Policies.Read).WithSummary("The text extracted from the current version.");
        documents.MapPost("/{id:guid}/retention/keep", KeepAsync).WithName("KeepPastRetention").RequireAuthorization(Policies.Administer)
            .WithSummary("Keeps a document its type's retention flagged for review: it is not flagged again (tenant admins).");
        documents.MapPost("/{id:guid}/reprocess", ReprocessAsync).WithName("ReprocessDocument").RequireAuthorization(Policies.Administer)
            .WithSummary("Runs the pipeline again on a ready, failed or quarantined document (tenant admins).");
        return endpoints;
    }

    private static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> CreateAsync(
        CreateDocumentRequest request, Caller caller, CreateDocument create, CancellationToken cancellationToken)
    {
        var outcome = await create.HandleAsync(
            caller.TenantId,
            new CreateDocument.Command(request.FileName, request.ContentType, request.SizeBytes, request.Sha256, request.Title, request.Tags),
            cancellationToken);
        return outcome.ToCreated(created => $"/api/v1/documents/{created.Document.Id}", created => created.ToResponse(caller));
    }

    private static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> AddVersionAsync(
        Guid id, NewVersionRequest request, Caller caller, AddVersion addVersion, CancellationToken cancellationToken)
    {
        var outcome = await addVersion.HandleAsync(
            caller.TenantId, id, new UploadRequest(request.FileName, request.ContentType, request.SizeBytes, request.Sha256), cancellationToken);
        return outcome.ToCreated(_ => $"/api/v1/documents/{id}/versions", created => created.ToResponse(caller));
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> CompleteAsync(
        Guid id, Caller caller, CompleteUpload complete, CancellationToken cancellationToken, [FromBody] CompleteRequest? request = null) =>
        ToOk(await complete.HandleAsync(caller.TenantId, id, request?.Parts.ToStorage(), cancellationToken), caller);

    private static async Task<Results<Ok<DocumentListResponse>, ProblemHttpResult>> ListAsync(
        Caller caller, ListDocuments list, CancellationToken cancellationToken,
        string? status = null, string? tag = null, string? contentType = null,
        DateTimeOffset? createdFrom = null, DateTimeOffset? createdTo = null, int? limit = null, string? cursor = null, string? order = null,
        string? ids = null, Guid? documentType = null, Guid? correspondent = null, DateOnly? documentDateFrom = null, DateOnly? documentDateTo = null,
        [FromQuery] string[]? field = null, string? retention = null)
    {
        if (retention is not (null or "due"))
        {
            return Error.Invalid("retention", "retention=due lists the documents their type's retention flagged for review.").ToProblem();
        }

        var named = ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => Guid.TryParse(id, out var g) ? g : (Guid?)null).ToList();
        if (named is not null && named.Any(id => id is null))
        {
            return Error.Invalid("ids", "ids must be document ids separated by commas.").ToProblem();
        }

        var outcome = await list.HandleAsync(
            caller.TenantId, new DocumentQuery(
                status, tag, contentType, createdFrom, createdTo, limit, cursor, order, named?.Select(id => id!.Value).ToList(),
                new DocumentFacts(documentType, correspondent, documentDateFrom, documentDateTo, field, RetentionDue: retention == "due")),
            cancellationToken);
        return outcome.ToOk(page => new DocumentListResponse(page.Documents.Select(d => d.ToResponse(caller)).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> KeepAsync(
        Guid id, Caller caller, Retention.KeepPastRetention keep, CancellationToken cancellationToken) =>
        ToOk(await keep.HandleAsync(caller.TenantId, id, cancellationToken), caller);

    private static async Task<Results<Ok<BulkResponse>, ProblemHttpResult>> BulkAsync(
        BulkRequest request, Caller caller, ChangeDocuments change, CancellationToken cancellationToken) =>
        (await change.HandleAsync(caller.TenantId, request.Action, request.Ids, request.Tags, cancellationToken)).ToOk(changes =>
        {
            var items = changes.Select(c => c.Outcome.Match(
                document => new BulkItem(c.Id, StatusCodes.Status200OK, null, document.ToResponse(caller)),
                error => new BulkItem(c.Id, error.Status(), error.Detail, null))).ToList();
            var succeeded = items.Count(i => i.Problem is null);
            return new BulkResponse(succeeded, items.Count - succeeded, items);
        });

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, Caller caller, GetDocument get, GetPermissions permissions, CancellationToken cancellationToken)
    {
        var outcome = await get.HandleAsync(caller.TenantId, id, cancellationToken);
        return outcome.Value is { Restricted: true } document && !document.Manages(caller)
            ? TypedResults.Ok(document.ToResponse(caller, await permissions.MayEditAsync(caller.TenantId, document, cancellationToken)))
            : ToOk(outcome, caller);
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateDocumentRequest request, Caller caller, EditDocument edit, CancellationToken cancellationToken) =>
        ToOk(await edit.HandleAsync(
            caller.TenantId, id, request.Title, request.Tags,
            new DocumentDescription(request.DocumentTypeId, request.CorrespondentId, request.DocumentDate, request.Fields, request.Clear), cancellationToken), caller);

    private static Task<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, Caller caller, TrashDocument trash, PurgeDocument purge, CancellationToken cancellationToken, bool permanent = false) =>
        TrashOrPurgeAsync(caller.TenantId, caller, id, permanent, trash, purge, cancellationToken);

    /// <summary>Trash, or with <paramref name="permanent"/> purge: for tenant admins (<see cref="Policies.Delete"/>) and operators (no <paramref name="caller"/>).</summary>
    internal static async Task<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>> TrashOrPurgeAsync(
        Guid tenantId, Caller? caller, Guid id, bool permanent, TrashDocument trash, PurgeDocument purge, CancellationToken cancellationToken) =>
        permanent
            ? (await purge.HandleAsync(tenantId, id, onlyFromTrash: false, cancellationToken)).Match<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>>(
                _ => TypedResults.NoContent(), error => error.ToProblem())
            : (await trash.HandleAsync(tenantId, id, cancellationToken)).Match<Results<Ok<DocumentResponse>, NoContent, ProblemHttpResult>>(
                document => TypedResults.Ok(document.ToResponse(caller)), error => error.ToProblem());

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> RestoreAsync(
        Guid id, Caller caller, RestoreDocument restore, CancellationToken cancellationToken) =>
        ToOk(await restore.HandleAsync(caller.TenantId, id, cancellationToken), caller);

    private static async Task<Results<Ok<List<VersionResponse>>, ProblemHttpResult>> VersionsAsync(
        Guid id, Caller caller, ListVersions versions, CancellationToken cancellationToken) =>
        (await versions.HandleAsync(caller.TenantId, id, cancellationToken)).ToOk(list => list.Select(DocumentAnswers.ToResponse).ToList());

    private static async Task<Results<Ok<List<ProcessingStepResponse>>, ProblemHttpResult>> ProcessingAsync(
        Guid id, Caller caller, ListProcessingSteps steps, CancellationToken cancellationToken) =>
        (await steps.HandleAsync(caller.TenantId, id, cancellationToken)).ToOk(list => list.Select(DocumentAnswers.ToResponse).ToList());

    private static async Task<Results<Ok<DocumentTextResponse>, ProblemHttpResult>> TextAsync(
        Guid id, Caller caller, GetDocumentText text, CancellationToken cancellationToken) =>
        (await text.HandleAsync(caller.TenantId, id, cancellationToken)).ToOk(DocumentAnswers.ToResponse);

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> ReprocessAsync(
        Guid id, Caller caller, ReprocessDocument reprocess, CancellationToken cancellationToken) =>
        ToOk(await reprocess.HandleAsync(caller.TenantId, id, cancellationToken), caller);

    /// <summary>
    /// A tenant's bytes, as an attachment in a sandbox: opened in a browser, a document's HTML or SVG runs no script
    /// with the API's origin. (S3's signed download names the file as an attachment in the same way.)
    /// </summary>
    private static async Task<IResult> ContentAsync(
        Guid id, Caller caller, OpenContent open, HttpContext http, CancellationToken cancellationToken, [FromQuery] int? version = null)
    {
        var outcome = await open.HandleAsync(caller.TenantId, id, version, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        http.Response.Headers.ContentSecurityPolicy = "sandbox";
        var (stored, download) = outcome.Value!;
        return download switch
        {
            BlobRedirect redirect => TypedResults.Redirect(redirect.Url.ToString()),
            BlobStream stream => TypedResults.Stream(
                stream.Content, stored.ContentType, stored.FileName, entityTag: stored.Sha256 is null ? null : new EntityTagHeaderValue($"\"{stored.Sha256}\""),
                enableRangeProcessing: true),
            _ => throw new InvalidOperationException($"Unknown download kind {download.GetType().Name}."),
        };
    }

    private static Task<IResult> ThumbnailAsync(Guid id, Caller caller, OpenPreview open, HttpContext http, CancellationToken cancellationToken) =>
        PreviewAsync(id, 0, caller, open, http, cancellationToken);

    private static async Task<IResult> PageAsync(Guid id, int page, Caller caller, OpenPreview open, HttpContext http, CancellationToken cancellationToken) =>
        page < 1
            ? Error.Invalid("page", "page must be 1 or more: pages are counted from 1.").ToProblem()
            : await PreviewAsync(id, page, caller, open, http, cancellationToken);

    /// <summary>
    /// Private to the user (their token decides), revalidated after an hour; a browser that has the image asks with
    /// If-None-Match and gets 304. A page being rendered is 202 Accepted with Retry-After.
    /// </summary>
    private static async Task<IResult> PreviewAsync(Guid id, int page, Caller caller, OpenPreview open, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await open.HandleAsync(caller.TenantId, id, page, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        if (outcome.Value!.Content is not { } content)
        {
            http.Response.Headers.RetryAfter = "2";
            return TypedResults.Accepted((string?)null, new PageRendering("rendering", $"Page {page} is being rendered: ask again in a moment."));
        }

        http.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.Stream(content, OpenPreview.ContentType, entityTag: new EntityTagHeaderValue(outcome.Value.ETag));
    }

    private static Results<Ok<DocumentResponse>, ProblemHttpResult> ToOk(Outcome<Document> outcome, Caller caller) => outcome.ToOk(d => d.ToResponse(caller));
}
