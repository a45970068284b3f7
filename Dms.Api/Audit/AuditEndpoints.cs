using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Audit;

/// <summary>
/// The audit trail over HTTP: a tenant's events for its admins (a page as JSON, or every matching event as NDJSON or
/// CSV), a document's history for whoever may read it, and the check of the hash chain; the same for operators, of
/// any tenant, under <c>/api/v1/admin/tenants/{id}/audit</c>.
/// </summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        var own = endpoints.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Administer);
        own.MapGet("/", (Caller caller, ListAuditEvents list, HttpContext http, CancellationToken cancellationToken, [AsParameters] AuditParameters query) =>
                ListAsync(caller.TenantId, list, http, query, cancellationToken))
            .WithName("ListAuditEvents")
            .WithSummary($"The tenant's audit events, newest first, with filters (from, to, action, actor, document, outcome) and a cursor (before); format={string.Join("|", AuditFormats.All)} (ndjson and csv give every matching event).");
        own.MapPost("/verify", (Caller caller, AuditChain chain, AuditTrail audit, CancellationToken cancellationToken) => VerifyAsync(caller.TenantId, chain, audit, cancellationToken))
            .WithName("VerifyAudit").WithSummary("Checks the tenant's hash chain: intact, or the first link that is not and why.");

        var admin = endpoints.MapGroup("/api/v1/admin/tenants/{id:guid}/audit").WithTags("Audit (operator)").RequireAuthorization(Policies.Operate);
        admin.MapGet("/", (Guid id, ListAuditEvents list, HttpContext http, CancellationToken cancellationToken, [AsParameters] AuditParameters query) =>
                ListAsync(id, list, http, query, cancellationToken))
            .WithName("ListTenantAuditEvents").WithSummary("A tenant's audit events, as for its admins.");
        admin.MapPost("/verify", (Guid id, AuditChain chain, AuditTrail audit, CancellationToken cancellationToken) => VerifyAsync(id, chain, audit, cancellationToken))
            .WithName("VerifyTenantAudit").WithSummary("Checks a tenant's hash chain.");

        endpoints.MapGet("/api/v1/documents/{id:guid}/history", HistoryAsync).WithTags("Documents").WithName("GetDocumentHistory").RequireAuthorization(Policies.Read)
            .WithSummary("What happened to a document, newest first: who viewed, downloaded, edited, trashed or restored it, and when.");
        return endpoints;
    }

    /// <summary>The list's query parameters: properties, not a constructor, which the compile-time request delegates cannot call.</summary>
    public sealed class AuditParameters
    {
        public DateTimeOffset? From { get; init; }
        public DateTimeOffset? To { get; init; }
        public string? Action { get; init; }
        public string? Actor { get; init; }
        public Guid? Document { get; init; }
        public string? Outcome { get; init; }
        public long? Before { get; init; }
        public int? Limit { get; init; }
        public string? Format { get; init; }

        public AuditFilter ToFilter() => new(From, To, Action, Actor, Document, Outcome, Before, Limit);
    }

    private static async Task<IResult> ListAsync(Guid tenantId, ListAuditEvents list, HttpContext http, AuditParameters query, CancellationToken cancellationToken)
    {
        var format = query.Format ?? AuditFormats.Json;
        if (!AuditFormats.All.Contains(format))
        {
            return Error.Invalid("format", $"format must be one of {string.Join(", ", AuditFormats.All)}.").ToProblem();
        }

        var filter = query.ToFilter();
        if (format == AuditFormats.Json)
        {
            return (await list.HandleAsync(tenantId, filter, cancellationToken)).ToOk(ToResponse);
        }

        if (filter.Validate() is { } invalid)
        {
            return invalid.ToProblem();
        }

        var events = list.StreamAsync(tenantId, filter with { Limit = null }, cancellationToken);
        var fileName = $"audit-{tenantId}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}.{format}";
        return format == AuditFormats.Ndjson
            ? Results.Stream(stream => WriteNdjsonAsync(stream, events, cancellationToken), "application/x-ndjson", fileName)
            : Results.Stream(stream => WriteCsvAsync(stream, events, cancellationToken), "text/csv; charset=utf-8", fileName);
    }

    private static async Task<Results<Ok<AuditPageResponse>, ProblemHttpResult>> HistoryAsync(
        Guid id, Caller caller, GetDocument get, ListAuditEvents list, DocumentReads reads, CancellationToken cancellationToken, long? before = null)
    {
        // Only a document the caller can see has a history for them.
        var seen = await reads.ReadAsync(caller.TenantId, id, document => Task.FromResult<Outcome<Document>>(document), cancellationToken);
        if (seen.Error is { } error)
        {
            return error.ToProblem();
        }

        return (await list.HandleAsync(caller.TenantId, new AuditFilter(DocumentId: id, Before: before), cancellationToken)).ToOk(ToResponse);
    }

    private static async Task<Ok<AuditVerificationResponse>> VerifyAsync(Guid tenantId, AuditChain chain, AuditTrail audit, CancellationToken cancellationToken)
    {
        var found = await chain.VerifyAsync(tenantId, cancellationToken);
        await audit.RecordAsync(tenantId, AuditActions.AuditVerified, AuditOutcomes.Succeeded, details: new { found.Intact, found.Links, found.BrokenPosition, found.Problem });
        return TypedResults.Ok(new AuditVerificationResponse(found.TenantId, found.Intact, found.Links, found.BrokenPosition, found.BrokenEventId, found.Problem, found.Unsealed));
    }

    private static AuditPageResponse ToResponse(AuditPage page) => new(page.Events.Select(e => e.ToResponse()).ToList(), page.NextBefore);

    private static async Task WriteNdjsonAsync(Stream stream, IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken)
    {
        var newline = "\n"u8.ToArray();
        await foreach (var audit in events)
        {
            await JsonSerializer.SerializeAsync(stream, audit.ToResponse(), Contracts.Client.DmsApiClient.Json, cancellationToken);
            await stream.WriteAsync(newline, cancellationToken);
        }
    }

    /// <summary>RFC 4180, one row per event; a value a spreadsheet would take for a formula is escaped (CsvHelper's injection guard).</summary>
    private static async Task WriteCsvAsync(Stream stream, IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(stream, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await WriteAsync(["id", "occurredAt", "action", "actorKind", "actorId", "actorName", "clientAddress", "userAgent", "documentId", "version", "outcome", "details"]);
        await foreach (var e in events)
        {
            await WriteAsync([
                e.Id.ToString(CultureInfo.InvariantCulture), e.OccurredAt.ToString("O", CultureInfo.InvariantCulture), e.Action, e.ActorKind, e.ActorId,
                e.ActorName, e.ClientAddress ?? "", e.UserAgent ?? "", e.DocumentId?.ToString() ?? "", e.Version?.ToString(CultureInfo.InvariantCulture) ?? "",
                e.Outcome, e.Details ?? "",
            ]);
        }

        await csv.FlushAsync(cancellationToken);

        // The response's stream takes no synchronous writes: each record ends with the asynchronous call.
        async Task WriteAsync(string[] fields)
        {
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }

            await csv.EndRecordAsync(cancellationToken);
        }
    }
}
