using Dms.Common;

namespace Dms.Documents;

/// <summary>The refusals every document use case shares.</summary>
public static class DocumentErrors
{
    public static readonly Error NotFound = Error.NotFound("The document");

    public static readonly Error InTrash = new(ErrorKind.Conflict, "document-deleted", "The document is in the trash: restore it first.");
}
