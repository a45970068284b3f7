namespace Dms.Contracts.Http;

/// <summary>The statuses a document's <c>status</c> takes, in the order of its life.</summary>
public static class DocumentStatuses
{
    public const string PendingUpload = "pending_upload";
    public const string Queued = "queued";
    public const string Scanning = "scanning";
    public const string Extracting = "extracting";
    public const string Indexing = "indexing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public const string Quarantined = "quarantined";
    public const string Deleted = "deleted";

    public static readonly string[] All = [PendingUpload, Queued, Scanning, Extracting, Indexing, Ready, Failed, Quarantined, Deleted];

    /// <summary>Statuses the pipeline moves on from by itself: a client watching a document polls while it is in one.</summary>
    public static readonly string[] InProgress = [Queued, Scanning, Extracting, Indexing];
}

/// <summary>
/// What a caller may do with a document, as its <c>actions</c> name them: decided by the API from the caller's roles
/// and the document's status. Reading is not among them: every caller who sees a document may read it, and each
/// version says whether its bytes may be downloaded (<c>downloadable</c>).
/// </summary>
public static class DocumentActions
{
    /// <summary>Change the title and tags.</summary>
    public const string Edit = "edit";

    /// <summary>Upload a new version.</summary>
    public const string NewVersion = "new_version";

    public const string Trash = "trash";
    public const string Restore = "restore";

    /// <summary>Remove it and its bytes for good.</summary>
    public const string Purge = "purge";

    /// <summary>Run the pipeline again.</summary>
    public const string Reprocess = "reprocess";

    /// <summary>Say who owns it and who else may see or change it.</summary>
    public const string Permissions = "permissions";
}

/// <summary>What the malware scan said of a version (<c>scanVerdict</c>).</summary>
public static class ScanVerdicts
{
    public const string None = "none";
    public const string Clean = "clean";
    public const string Infected = "infected";
    public const string Skipped = "skipped";

    public static readonly string[] All = [None, Clean, Infected, Skipped];
}

/// <summary>The limits a client must keep to, as the API enforces them (a request over one is a 400 naming it).</summary>
public static class ApiLimits
{
    /// <summary>Documents named in one request (<c>ids</c> of the list).</summary>
    public const int MaxIdsPerRequest = 100;

    /// <summary>The highest page number whose image may be asked for.</summary>
    public const int MaxPreviewPage = 1000;

    /// <summary>The columns a saved view (and the list) shows at most.</summary>
    public const int MaxViewColumns = 20;
}

/// <summary>The data types of custom fields (a field's <c>dataType</c>).</summary>
public static class FieldDataTypes
{
    public const string Text = "text";
    public const string LongText = "long_text";
    public const string Integer = "integer";
    public const string Decimal = "decimal";
    public const string Monetary = "monetary";
    public const string Date = "date";
    public const string Boolean = "boolean";
    public const string Select = "select";
    public const string MultiSelect = "multi_select";
    public const string Url = "url";
    public const string DocumentLink = "document_link";
    public const string User = "user";

    public static readonly string[] All = [Text, LongText, Integer, Decimal, Monetary, Date, Boolean, Select, MultiSelect, Url, DocumentLink, User];
}

/// <summary>The columns a document list (and a saved view) can show; a custom field's is <c>field:</c> and its id.</summary>
public static class ViewColumns
{
    public const string Title = "title";
    public const string Type = "type";
    public const string Correspondent = "correspondent";
    public const string DocumentDate = "documentDate";
    public const string Status = "status";
    public const string Tags = "tags";
    public const string FileType = "fileType";
    public const string Size = "size";
    public const string Added = "added";
    public const string FieldPrefix = "field:";

    public static readonly string[] All = [Title, Type, Correspondent, DocumentDate, Status, Tags, FileType, Size, Added];

    /// <summary>What a view shows unless it says otherwise.</summary>
    public static readonly string[] Default = [Title, Type, Correspondent, DocumentDate, Status, Added];
}

/// <summary>
/// The orders a document list (and a saved view) takes: by when documents were added (newest, the default, or oldest),
/// or by a key ascending, descending with a leading <c>-</c>: the title, the document date, the type's or the
/// correspondent's name, or a custom field's value (<c>field:</c> and its id or name). Documents without the value
/// come last either way.
/// </summary>
public static class DocumentOrders
{
    public const string Newest = "newest";
    public const string Oldest = "oldest";
    public const string Title = "title";
    public const string Date = "date";
    public const string Type = "type";
    public const string Correspondent = "correspondent";
    public const string FieldPrefix = "field:";
    public const string Descending = "-";
    public const string Syntax = "newest, oldest, or title, date, type, correspondent or field:FIELD, with a leading - for descending";
}
