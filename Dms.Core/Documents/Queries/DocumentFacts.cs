using Dms.Common;
using Dms.Fields;

namespace Dms.Documents.Queries;

/// <summary>
/// The filters of a listing on what describes a document: its type, correspondent, document date range and custom
/// field values (<see cref="FieldFilter"/>, as written).
/// </summary>
/// <param name="RetentionDue">Only the documents their type's retention flagged for review.</param>
public sealed record DocumentFacts(
    Guid? DocumentTypeId = null, Guid? CorrespondentId = null, DateOnly? DocumentDateFrom = null, DateOnly? DocumentDateTo = null,
    IReadOnlyList<string>? Fields = null, bool RetentionDue = false)
{
    public Error? Validate()
    {
        if (DocumentDateFrom > DocumentDateTo)
        {
            return Error.Invalid("document-date-range", "documentDateFrom must not be after documentDateTo.");
        }

        if (Fields is { Count: > FieldFilter.MaxPerQuery })
        {
            return Error.Invalid("field", $"A listing takes at most {FieldFilter.MaxPerQuery} field filters.");
        }

        return Fields?.Select(FieldFilter.Split).FirstOrDefault(split => split.Error is not null).Error;
    }

    public IQueryable<Document> Apply(IQueryable<Document> documents, IReadOnlyList<FieldFilter> fields)
    {
        if (DocumentTypeId is { } type)
        {
            documents = documents.Where(d => d.DocumentTypeId == type);
        }

        if (CorrespondentId is { } correspondent)
        {
            documents = documents.Where(d => d.CorrespondentId == correspondent);
        }

        if (RetentionDue)
        {
            documents = documents.Where(d => d.RetentionDueAt != null);
        }

        if (DocumentDateFrom is { } from)
        {
            documents = documents.Where(d => d.DocumentDate >= from);
        }

        if (DocumentDateTo is { } to)
        {
            documents = documents.Where(d => d.DocumentDate <= to);
        }

        return fields.Aggregate(documents, (filtered, filter) => filter.Apply(filtered));
    }
}
