using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.StaticFiles;

namespace Dms.Web.Api;

/// <summary>
/// What the pages' scripts and links ask of the web server, each passed on to the API with the user's token: starting
/// and completing an upload (the bytes themselves go from the browser straight to storage), the statuses of documents
/// being processed, and a version's bytes. Posts carry the antiforgery token in a header.
/// </summary>
public static class BrowserEndpoints
{
    public sealed record StartUpload(Guid? DocumentId, string? FileName, string? ContentType, long SizeBytes);

    public sealed record CompleteUpload(IReadOnlyList<CompletedPart>? Parts);

    /// <summary>A document's status as the page script shows it: in the pages' words, and whether the pipeline is still changing it.</summary>
    public sealed record ShownStatus(string Status, string Label, bool InProgress, string? FailureReason)
    {
        public static ShownStatus Of(DocumentResponse document) =>
            new(document.Status, Words.Status(document.Status), DocumentStatuses.InProgress.Contains(document.Status), document.FailureReason);
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static WebApplication MapBrowserEndpoints(this WebApplication app)
    {
        app.MapGet("/audit/export", ExportAuditAsync).RequireAuthorization();
        var documents = app.MapGroup("/documents").RequireAuthorization();
        var writes = documents.MapGroup("").AddEndpointFilter(RequireAntiforgeryAsync);
        writes.MapPost("/uploads", StartAsync);
        writes.MapPost("/{id:guid}/complete", CompleteAsync);
        documents.MapGet("/statuses", StatusesAsync);
        documents.MapGet("/{id:guid}/content", ContentAsync);
        documents.MapGet("/{id:guid}/thumbnail", (Guid id, DmsApiClient api, HttpContext http, CancellationToken cancellationToken) => PreviewAsync(id, 0, api, http, cancellationToken));
        documents.MapGet("/{id:guid}/pages/{page:int:min(1)}", PreviewAsync);
        return app;
    }

    /// <summary>A post from a page carries the page's antiforgery token in a header: without it, another site made the browser send it.</summary>
    private static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context.HttpContext)
            ? await next(context)
            : Refused("The page is out of date: reload it and upload again.");

    private static async Task<IResult> StartAsync(StartUpload request, DmsApiClient api, CancellationToken cancellationToken)
    {
        // Browsers leave the type empty for extensions they do not know: the name's extension says it, as the API's type check will.
        var contentType = string.IsNullOrWhiteSpace(request.ContentType) && request.FileName is not null && ContentTypes.TryGetContentType(request.FileName, out var guessed)
            ? guessed
            : request.ContentType;
        var (fileName, type) = (request.FileName ?? "", contentType ?? "application/octet-stream");
        var answer = request.DocumentId is { } id
            ? await api.AddVersionAsync(id, new NewVersionRequest(fileName, type, request.SizeBytes, null), cancellationToken)
            : await api.CreateDocumentAsync(new CreateDocumentRequest(fileName, type, request.SizeBytes, null, null, null), cancellationToken);
        return answer.Problem is { } problem ? Refused(problem) : Results.Json(answer.Value);
    }

    private static async Task<IResult> CompleteAsync(Guid id, CompleteUpload request, DmsApiClient api, CancellationToken cancellationToken)
    {
        var answer = await api.CompleteUploadAsync(id, new CompleteRequest(request.Parts), cancellationToken);
        return answer.Problem is { } problem ? Refused(problem) : Results.Json(ShownStatus.Of(answer.Value!));
    }

    /// <summary>Each asked-for document's status (and failure reason), for the pages that show them changing: one API call.</summary>
    private static async Task<IResult> StatusesAsync(string? ids, DmsApiClient api, CancellationToken cancellationToken)
    {
        var asked = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.TryParse(id, out var g) ? g : (Guid?)null).ToList();
        if (asked.Count > ApiLimits.MaxIdsPerRequest || asked.Any(id => id is null))
        {
            return Refused($"ids must be up to {ApiLimits.MaxIdsPerRequest} document ids, separated by commas.");
        }

        if (asked.Count == 0)
        {
            return Results.Json(new Dictionary<string, object>());
        }

        var answer = await api.ListDocumentsAsync(new DocumentListQuery(Ids: asked.Select(id => id!.Value).ToList(), Limit: ApiLimits.MaxIdsPerRequest), cancellationToken);
        return answer.Problem is { } problem
            ? Refused(problem)
            : Results.Json(answer.Value!.Documents.ToDictionary(d => d.Id.ToString(), ShownStatus.Of));
    }

    /// <summary>A version's bytes: storage's signed URL for the browser to follow, or the API's stream passed through as it comes.</summary>
    /// <summary>The tenant's audit events as a CSV or NDJSON file, streamed from the API as it writes them (admins: the API decides).</summary>
    private static async Task ExportAuditAsync(
        DmsApiClient api, HttpContext http, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null,
        string? action = null, string? actor = null, Guid? document = null, string? outcome = null, string format = AuditFormats.Csv)
    {
        if (format is not (AuditFormats.Csv or AuditFormats.Ndjson))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        http.Response.ContentType = format == AuditFormats.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.{format}\"";
        var answer = await api.ExportAuditAsync(null, new AuditQuery(from, to, action, actor, document, outcome), format, http.Response.Body, cancellationToken);
        if (answer.Problem is { } problem && !http.Response.HasStarted)
        {
            http.Response.Headers.ContentDisposition = default;
            await Refused(problem).ExecuteAsync(http);
        }
    }

    private static async Task<IResult> ContentAsync(Guid id, int? version, DmsApiClient api, HttpContext http, CancellationToken cancellationToken)
    {
        var response = await api.ContentAsync(id, version, cancellationToken);
        http.Response.RegisterForDispose(response);
        if (response.Headers.Location is { } location)
        {
            return Results.Redirect(location.ToString());
        }

        if (!response.IsSuccessStatusCode)
        {
            return Results.Problem(statusCode: (int)response.StatusCode, detail: "This version cannot be downloaded: it has not passed the malware scan, or it is gone.");
        }

        // As the API sends it: an attachment, in a sandbox, so that a document's HTML never runs with this site's origin.
        http.Response.Headers.ContentSecurityPolicy = "sandbox";
        http.Response.Headers.ContentDisposition = response.Content.Headers.ContentDisposition?.ToString();
        return Results.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), response.Content.Headers.ContentType?.ToString(),
            enableRangeProcessing: false);
    }

    /// <summary>A preview image passed through with the API's entity tag and caching; an unchanged one is a 304, a missing one the API's 4xx.</summary>
    private static async Task<IResult> PreviewAsync(Guid id, int page, DmsApiClient api, HttpContext http, CancellationToken cancellationToken)
    {
        var response = await api.PreviewAsync(id, page, http.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } tag ? tag : null, cancellationToken);
        http.Response.RegisterForDispose(response);
        if (response.StatusCode == System.Net.HttpStatusCode.NotModified)
        {
            http.Response.Headers.ETag = response.Headers.ETag?.ToString();
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            // A page being rendered: the page script asks again after the pause the API names.
            http.Response.Headers.RetryAfter = response.Headers.RetryAfter?.ToString() ?? "2";
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }

        if (!response.IsSuccessStatusCode)
        {
            return Results.Problem(statusCode: (int)response.StatusCode, detail: "This document has no preview to show.");
        }

        http.Response.Headers.CacheControl = response.Headers.CacheControl?.ToString();
        http.Response.Headers.ETag = response.Headers.ETag?.ToString();
        return Results.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), response.Content.Headers.ContentType?.ToString());
    }

    private static IResult Refused(string problem) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: problem);

    private static IResult Refused(ApiProblem problem) => Results.Problem(statusCode: (int)problem.Status, detail: problem.Message);
}
