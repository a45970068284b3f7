namespace Dms.Storage;

/// <summary>Object keys are made of ids only: a user's file name never becomes a path.</summary>
public static class BlobKeys
{
    public static string DocumentPrefix(Guid tenantId, Guid documentId) => $"{tenantId}/documents/{documentId}/";

    public static string VersionPrefix(Guid tenantId, Guid documentId, int version) => $"{DocumentPrefix(tenantId, documentId)}v{version}/";

    public static string ForVersion(Guid tenantId, Guid documentId, int version) => $"{VersionPrefix(tenantId, documentId, version)}content";

    /// <summary>
    /// A version's preview image, beside its bytes (so purging the document removes it): page 0 is the thumbnail,
    /// pages from 1 the page images.
    /// </summary>
    public static string ForPreview(Guid tenantId, Guid documentId, int version, int page) =>
        $"{VersionPrefix(tenantId, documentId, version)}preview/{(page == 0 ? "thumbnail" : $"page-{page}")}.png";
}
