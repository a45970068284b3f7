using Dms.Storage;

namespace Dms.Documents.Uploads;

/// <summary>A new version waiting for its bytes, and how to send them.</summary>
public sealed record PendingUpload(Document Document, DocumentVersion Version, UploadInstruction Upload);
