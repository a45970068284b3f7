using System.Text.Json;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Catalogs;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Correspondents;
using Dms.DocumentTypes;
using Dms.Fields;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Describing;

/// <summary>
/// The tenant's catalogs that describe its documents: document types, correspondents and custom fields. Everyone of the
/// tenant reads them; admins change types and fields; editors add and rename correspondents, admins remove them.
/// </summary>
public static class DescribingEndpoints
{
    public static IHostApplicationBuilder AddDescribing(this IHostApplicationBuilder builder) => builder.AddDescribingUseCases();

    public static IEndpointRouteBuilder MapDescribing(this IEndpointRouteBuilder endpoints)
    {
        var types = endpoints.MapGroup("/api/v1/document-types").WithTags("Describing");
        types.MapGet("/", ListTypesAsync).WithName("ListDocumentTypes").RequireAuthorization(Policies.Read)
            .WithSummary("The tenant's document types by name, with their fields (with counts=true, how many documents are of each).");
        types.MapPost("/", CreateTypeAsync).WithName("CreateDocumentType").RequireAuthorization(Policies.Administer).WithSummary("Adds a document type (admins).");
        types.MapPatch("/{id:guid}", UpdateTypeAsync).WithName("UpdateDocumentType").RequireAuthorization(Policies.Administer)
            .WithSummary("Changes a document type's name, description or fields (admins).");
        types.MapDelete("/{id:guid}", DeleteTypeAsync).WithName("DeleteDocumentType").RequireAuthorization(Policies.Administer)
            .WithSummary("Removes a document type; its documents keep their values and have no type (admins).");

        var correspondents = endpoints.MapGroup("/api/v1/correspondents").WithTags("Describing");
        correspondents.MapGet("/", ListCorrespondentsAsync).WithName("ListCorrespondents").RequireAuthorization(Policies.Read)
            .WithSummary("The tenant's correspondents by name (with counts=true, how many documents name each).");
        correspondents.MapPost("/", CreateCorrespondentAsync).WithName("CreateCorrespondent").RequireAuthorization(Policies.Write).WithSummary("Adds a correspondent.");
        correspondents.MapPatch("/{id:guid}", UpdateCorrespondentAsync).WithName("UpdateCorrespondent").RequireAuthorization(Policies.Write)
            .WithSummary("Renames a correspondent.");
        correspondents.MapDelete("/{id:guid}", DeleteCorrespondentAsync).WithName("DeleteCorrespondent").RequireAuthorization(Policies.Administer)
            .WithSummary("Removes a correspondent; its documents have none (admins).");

        var fields = endpoints.MapGroup("/api/v1/custom-fields").WithTags("Describing");
        fields.MapGet("/", ListFieldsAsync).WithName("ListCustomFields").RequireAuthorization(Policies.Read)
            .WithSummary("The tenant's custom fields by name, with their options (with counts=true, how many documents have a value of each).");
        fields.MapPost("/", CreateFieldAsync).WithName("CreateCustomField").RequireAuthorization(Policies.Administer).WithSummary("Adds a custom field (admins).");
        fields.MapPatch("/{id:guid}", UpdateFieldAsync).WithName("UpdateCustomField").RequireAuthorization(Policies.Administer)
            .WithSummary("Renames a field, changes its options, or changes its data type converting its values (admins).");
        fields.MapDelete("/{id:guid}", DeleteFieldAsync).WithName("DeleteCustomField").RequireAuthorization(Policies.Administer)
            .WithSummary("Removes a custom field and every value of it (admins).");
        return endpoints;
    }

    /// <summary>A document's field value as the contract writes it.</summary>
    public static FieldValueItem ToItem(this FieldValue value) =>
        new(value.FieldId, SnakeCaseNames<FieldKind>.ToName(value.Kind), JsonSerializer.SerializeToElement(FieldValueRules.ToJson(value)));

    private static DocumentTypeResponse ToResponse(this DocumentType type, int? documents = null) => new(
        type.Id, type.Name, type.Description, type.Fields.OrderBy(f => f.Position).Select(f => new DocumentTypeFieldItem(f.FieldId, f.Required)).ToList(),
        type.CreatedAt, documents, type.Retention is { } rule ? new RetentionItem(rule.Days, rule.From, rule.Action) : null);

    private static CorrespondentResponse ToResponse(this Correspondent correspondent, int? documents = null) =>
        new(correspondent.Id, correspondent.Name, correspondent.CreatedAt, documents);

    private static CustomFieldResponse ToResponse(this CustomField field, int? documents = null) => new(
        field.Id, field.Name, SnakeCaseNames<FieldKind>.ToName(field.Kind), field.Options.Select(o => new FieldOptionItem(o.Id, o.Label)).ToList(),
        field.CreatedAt, documents);

    private static DocumentTypeChanges ToChanges(this DocumentTypeRequest request) =>
        new(request.Name, request.Description, request.Fields?.Select(f => (f.FieldId, f.Required)).ToList(),
            request.Retention is { } rule ? new Retention.RetentionRule(rule.Days, rule.From, rule.Action) : null, request.ClearRetention == true);

    private static FieldChanges ToChanges(this CustomFieldRequest request) =>
        new(request.Name, request.DataType, request.Options?.Select(o => (o.Id, (string?)o.Label)).ToList(), request.ClearUnconvertible == true);

    private static async Task<Ok<List<DocumentTypeResponse>>> ListTypesAsync(Caller caller, ListDocumentTypes list, CancellationToken cancellationToken, bool counts = false) =>
        TypedResults.Ok((await list.HandleAsync(caller.TenantId, counts, cancellationToken)).Select(c => c.Entry.ToResponse(c.Documents)).ToList());

    private static async Task<Results<Created<DocumentTypeResponse>, ProblemHttpResult>> CreateTypeAsync(
        DocumentTypeRequest request, Caller caller, SaveDocumentType save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, null, request.ToChanges(), cancellationToken)).ToCreated(t => $"/api/v1/document-types/{t.Id}", t => t.ToResponse(0));

    private static async Task<Results<Ok<DocumentTypeResponse>, ProblemHttpResult>> UpdateTypeAsync(
        Guid id, DocumentTypeRequest request, Caller caller, SaveDocumentType save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, id, request.ToChanges(), cancellationToken)).ToOk(t => t.ToResponse());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTypeAsync(
        Guid id, Caller caller, DeleteDocumentType delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, id, cancellationToken)).ToNoContent();

    private static async Task<Ok<List<CorrespondentResponse>>> ListCorrespondentsAsync(Caller caller, ListCorrespondents list, CancellationToken cancellationToken, bool counts = false) =>
        TypedResults.Ok((await list.HandleAsync(caller.TenantId, counts, cancellationToken)).Select(c => c.Entry.ToResponse(c.Documents)).ToList());

    private static async Task<Results<Created<CorrespondentResponse>, ProblemHttpResult>> CreateCorrespondentAsync(
        CorrespondentRequest request, Caller caller, SaveCorrespondent save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, null, request.Name, cancellationToken)).ToCreated(c => $"/api/v1/correspondents/{c.Id}", c => c.ToResponse(0));

    private static async Task<Results<Ok<CorrespondentResponse>, ProblemHttpResult>> UpdateCorrespondentAsync(
        Guid id, CorrespondentRequest request, Caller caller, SaveCorrespondent save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, id, request.Name, cancellationToken)).ToOk(c => c.ToResponse());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCorrespondentAsync(
        Guid id, Caller caller, DeleteCorrespondent delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, id, cancellationToken)).ToNoContent();

    private static async Task<Ok<List<CustomFieldResponse>>> ListFieldsAsync(Caller caller, ListFields list, CancellationToken cancellationToken, bool counts = false) =>
        TypedResults.Ok((await list.HandleAsync(caller.TenantId, counts, cancellationToken)).Select(c => c.Entry.ToResponse(c.Documents)).ToList());

    private static async Task<Results<Created<CustomFieldResponse>, ProblemHttpResult>> CreateFieldAsync(
        CustomFieldRequest request, Caller caller, SaveField save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, null, request.ToChanges(), cancellationToken)).ToCreated(f => $"/api/v1/custom-fields/{f.Id}", f => f.ToResponse(0));

    private static async Task<Results<Ok<CustomFieldResponse>, ProblemHttpResult>> UpdateFieldAsync(
        Guid id, CustomFieldRequest request, Caller caller, SaveField save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, id, request.ToChanges(), cancellationToken)).ToOk(f => f.ToResponse());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteFieldAsync(
        Guid id, Caller caller, DeleteField delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, id, cancellationToken)).ToNoContent();
}
