namespace Dms.Storage;

/// <summary>Object keys are made of ids only: a user's file name never becomes a path.</summary>
public static class BlobKeys
{
    public static string DocumentPrefix(Guid tenantId, Guid documentId) => $"{tenantId}/documents/{documentId}/";

    public static string VersionPrefix(Guid tenantId, Guid documentId, int version) => $"{DocumentPrefix(tenantId, documentId)}v{version}/";

    public static string ForVersion(Guid tenantId, Guid documentId, int version) => $"{VersionPrefix(tenantId, documentId, version)}content";
}
