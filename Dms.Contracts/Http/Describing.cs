using System.Text.Json;

namespace Dms.Contracts.Http;

/// <summary>
/// A document's value of one custom field. <see cref="Value"/> by <see cref="DataType"/> (<see cref="FieldDataTypes"/>):
/// text, long_text, url, user (an e-mail address) and date (yyyy-mm-dd) a string; integer and decimal a number;
/// monetary <c>{"amount": 12.5, "currency": "EUR"}</c> (or, when written, "EUR12.50"); boolean true or false; select
/// an option's id; multi_select a list of option ids; document_link a document's id.
/// </summary>
public sealed record FieldValueItem(Guid FieldId, string DataType, JsonElement Value);

/// <summary>One of a document type's fields; a document of the type must have a value of a required one.</summary>
public sealed record DocumentTypeFieldItem(Guid FieldId, bool Required);

/// <summary>
/// How long a document of a type is kept: <c>days</c> after its document date (<c>from</c>: <c>document_date</c>; one
/// without a date counts from when it was added) or after it was added (<c>added</c>), then moved to the trash
/// (<c>action</c>: <c>trash</c>) or flagged for an admin's review (<c>review</c>). A document under a legal hold is neither.
/// </summary>
public sealed record RetentionItem(int Days, string From, string Action);

/// <summary>
/// A document type as written (null: unchanged; a new one needs a name). <see cref="Fields"/> replaces the type's
/// fields, in order; <see cref="Retention"/> its retention (<see cref="ClearRetention"/>: none, documents are kept).
/// </summary>
public sealed record DocumentTypeRequest(
    string? Name, string? Description, IReadOnlyList<DocumentTypeFieldItem>? Fields, RetentionItem? Retention = null, bool? ClearRetention = null);

/// <param name="DocumentCount">How many documents (not in the trash) are of the type; in lists only.</param>
public sealed record DocumentTypeResponse(
    Guid Id, string Name, string? Description, IReadOnlyList<DocumentTypeFieldItem> Fields, DateTimeOffset CreatedAt, int? DocumentCount = null,
    RetentionItem? Retention = null);

public sealed record CorrespondentRequest(string? Name);

/// <param name="DocumentCount">How many documents (not in the trash) name the correspondent; in lists only.</param>
public sealed record CorrespondentResponse(Guid Id, string Name, DateTimeOffset CreatedAt, int? DocumentCount = null);

/// <summary>An option of a select or multi-select field; written without <see cref="Id"/> it is a new one.</summary>
public sealed record FieldOptionItem(Guid? Id, string Label);

/// <summary>
/// A custom field as written (null: unchanged; a new one needs a name and a data type). Changing the data type
/// converts every value it can; with <see cref="ClearUnconvertible"/> the values that cannot be kept (and those of
/// removed options) are removed, without it the change is refused, naming how many.
/// </summary>
public sealed record CustomFieldRequest(string? Name, string? DataType, IReadOnlyList<FieldOptionItem>? Options, bool? ClearUnconvertible = null);

/// <param name="DocumentCount">How many documents have a value of the field; in lists only.</param>
public sealed record CustomFieldResponse(
    Guid Id, string Name, string DataType, IReadOnlyList<FieldOptionItem> Options, DateTimeOffset CreatedAt, int? DocumentCount = null);

public sealed record NoteRequest(string? Text);

/// <param name="Mine">Whether the caller wrote it (then they may remove it; admins may remove any).</param>
public sealed record NoteResponse(Guid Id, Guid DocumentId, string Author, string Text, DateTimeOffset CreatedAt, bool Mine);

/// <summary>
/// What a saved view lists: the document list's filters (and <see cref="Query"/>, words to search for), each as the
/// list route takes it; <see cref="Fields"/> are field filters written FIELD:OP[:VALUE] with the field's id.
/// </summary>
/// <param name="AddedFrom">The first day (UTC) documents were added on; with <see cref="AddedTo"/>, the last.</param>
public sealed record SavedViewFilters(
    string? Query = null, string? Status = null, string? Tag = null, string? ContentType = null, Guid? DocumentTypeId = null, Guid? CorrespondentId = null,
    DateOnly? DocumentDateFrom = null, DateOnly? DocumentDateTo = null, IReadOnlyList<string>? Fields = null, DateOnly? AddedFrom = null, DateOnly? AddedTo = null);

/// <summary>
/// A saved view as written (null: unchanged; a new one needs a name). <see cref="Shared"/> views are the tenant's
/// (admins make and change them); others are their owner's own. <see cref="Columns"/> are <see cref="ViewColumns"/> names
/// or field:ID.
/// </summary>
public sealed record SavedViewRequest(
    string? Name, bool? Shared = null, SavedViewFilters? Filters = null, string? Sort = null, IReadOnlyList<string>? Columns = null, bool? OnStartPage = null);

/// <param name="Mine">Whether the caller owns it (a shared view is changed by admins).</param>
public sealed record SavedViewResponse(
    Guid Id, string Name, bool Shared, bool Mine, SavedViewFilters Filters, string Sort, IReadOnlyList<string> Columns, bool OnStartPage, DateTimeOffset CreatedAt);
