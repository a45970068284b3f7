using Dms.Common;

namespace Dms.Retention;

/// <summary>
/// A document type's retention: a document of the type is kept <see cref="Days"/> days after its document date (or,
/// without one, or by choice, after it was added), then moved to the trash — or flagged for an admin to review.
/// A document under a legal hold is neither; the tenant's trash retention then applies as to any trashed document.
/// </summary>
public sealed record RetentionRule(int Days, string From, string Action)
{
    public const string FromAdded = "added";
    public const string FromDocumentDate = "document_date";
    public const string Trash = "trash";
    public const string Review = "review";

    /// <summary>A century: the longest a rule keeps a document.</summary>
    public const int MaxDays = 36_500;

    public Error? Validate() =>
        Days is < 1 or > MaxDays ? Error.Invalid("retention", $"A retention keeps a document 1 to {MaxDays:N0} days.")
        : From is not (FromAdded or FromDocumentDate) ? Error.Invalid("retention", $"A retention counts from '{FromDocumentDate}' or '{FromAdded}'.")
        : Action is not (Trash or Review) ? Error.Invalid("retention", $"A retention's action is '{Trash}' or '{Review}'.")
        : null;
}
